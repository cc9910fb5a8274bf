import COpenSSL

/// The keyed hashes of STUN's MESSAGE-INTEGRITY (HMAC-SHA1, 20 bytes) and
/// MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, 32 bytes) attributes, on OpenSSL's one-shot `HMAC`.
///
/// With ICE's short-term credentials the key is the password's UTF-8 bytes (RFC 8489 §9.1.1;
/// OpaqueString preparation is the identity for the ASCII ice-chars of RFC 8445 §5.3).
public enum STUNIntegrityAlgorithm: Hashable, Sendable, CaseIterable {
    case sha1
    case sha256

    /// The attribute that carries this hash.
    public var attributeType: STUNAttributeType {
        self == .sha1 ? .messageIntegrity : .messageIntegritySHA256
    }

    /// The length of the HMAC and of the attribute value.
    public var digestLength: Int { self == .sha1 ? 20 : 32 }

    /// Writes the HMAC of `message` under `key` to the first ``digestLength`` bytes of `output`.
    func authenticate(_ message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= digestLength)
        let digest = self == .sha1 ? EVP_sha1() : EVP_sha256()
        var written: UInt32 = 0
        var empty: UInt8 = 0
        // OpenSSL wants non-null pointers even for empty keys and messages.
        let result = withUnsafeMutablePointer(to: &empty) { emptyPointer in
            HMAC(
                digest, key.baseAddress ?? UnsafeRawPointer(emptyPointer), Int32(key.count),
                message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyPointer), message.count,
                output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written)
        }
        precondition(result != nil && Int(written) == digestLength, "OpenSSL HMAC failed")
    }
}
