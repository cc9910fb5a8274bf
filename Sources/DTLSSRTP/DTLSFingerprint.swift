import COpenSSL

/// A certificate fingerprint as SDP (RFC 8122 §5) and mediasoup's `dtlsParameters.fingerprints`
/// carry it: a hash function name and the digest in upper-case hex pairs separated by colons.
public struct DTLSFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// Hash functions a fingerprint may use (RFC 8122's names).
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        case sha1 = "sha-1"
        case sha224 = "sha-224"
        case sha256 = "sha-256"
        case sha384 = "sha-384"
        case sha512 = "sha-512"

        /// OpenSSL's digest for this algorithm.
        var digest: OpaquePointer {
            switch self {
            case .sha1: EVP_sha1()
            case .sha224: EVP_sha224()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// The hash function.
    public var algorithm: Algorithm
    /// The digest bytes.
    public var digest: [UInt8]

    /// A fingerprint from its parts.
    public init(algorithm: Algorithm, digest: [UInt8]) {
        self.algorithm = algorithm
        self.digest = digest
    }

    /// Parses mediasoup's form: `algorithm` ("sha-256", case-insensitive) and `value` ("AB:CD:...").
    public init(algorithm: String, value: String) throws(DTLSError) {
        guard let parsed = Algorithm(rawValue: algorithm.lowercased()) else {
            throw .invalidFingerprint("\(algorithm) \(value)")
        }
        var bytes: [UInt8] = []
        for pair in value.split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { throw .invalidFingerprint("\(algorithm) \(value)") }
            bytes.append(byte)
        }
        guard bytes.count == EVP_MD_get_size(parsed.digest) else { throw .invalidFingerprint("\(algorithm) \(value)") }
        self.init(algorithm: parsed, digest: bytes)
    }

    /// Parses SDP's `a=fingerprint` value: "sha-256 AB:CD:...".
    public init(sdp: String) throws(DTLSError) {
        let parts = sdp.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw .invalidFingerprint(sdp) }
        try self.init(algorithm: String(parts[0]), value: String(parts[1]))
    }

    /// The digest as "AB:CD:..." (mediasoup's `value`).
    public var value: String {
        digest.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// SDP form: "sha-256 AB:CD:...".
    public var description: String { "\(algorithm.rawValue) \(value)" }

    /// The fingerprint of an X509 certificate (DER encoding hashed with `algorithm`).
    static func of(certificate: OpaquePointer, algorithm: Algorithm) -> DTLSFingerprint? {
        var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, algorithm.digest, &buffer, &length) == 1 else { return nil }
        return DTLSFingerprint(algorithm: algorithm, digest: Array(buffer.prefix(Int(length))))
    }
}
