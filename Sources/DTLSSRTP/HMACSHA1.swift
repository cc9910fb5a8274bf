import COpenSSL

/// HMAC-SHA1 (RFC 2104) with a fixed key, for SRTP and SRTCP authentication (RFC 3711 §4.2.1).
/// The inner and outer SHA-1 states after the padded key are computed once; each message starts
/// from copies of them, so computing a tag allocates nothing. Not thread-safe.
final class HMACSHA1 {
    /// Bytes of a full HMAC-SHA1 output.
    static let digestLength = 20

    private let inner: SHA_CTX
    private let outer: SHA_CTX
    private let digest = UnsafeMutablePointer<UInt8>.allocate(capacity: HMACSHA1.digestLength)

    /// A MAC keyed with `key` (SRTP uses 20-byte keys; longer than 64 bytes is hashed first).
    init(key: [UInt8]) {
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > 64 {
            var context = SHA_CTX()
            sfulab_SHA1_Init(&context)
            sfulab_SHA1_Update(&context, key, key.count)
            block.withUnsafeMutableBufferPointer { _ = sfulab_SHA1_Final($0.baseAddress, &context) }
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        var inner = SHA_CTX()
        var outer = SHA_CTX()
        sfulab_SHA1_Init(&inner)
        sfulab_SHA1_Init(&outer)
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5C }
        sfulab_SHA1_Update(&inner, innerPad, 64)
        sfulab_SHA1_Update(&outer, outerPad, 64)
        self.inner = inner
        self.outer = outer
    }

    deinit { digest.deallocate() }

    /// The MAC of `message` followed by the 4-byte big-endian `suffix` if given (SRTP's ROC),
    /// truncated to `length` bytes and written to `tag`.
    func tag(_ message: UnsafeRawPointer, count: Int, suffix: UInt32?, length: Int, into tag: UnsafeMutableRawPointer) {
        var context = inner
        sfulab_SHA1_Update(&context, message, count)
        if let suffix {
            var bigEndian = suffix.bigEndian
            withUnsafeBytes(of: &bigEndian) { _ = sfulab_SHA1_Update(&context, $0.baseAddress, 4) }
        }
        sfulab_SHA1_Final(digest, &context)
        context = outer
        sfulab_SHA1_Update(&context, digest, HMACSHA1.digestLength)
        sfulab_SHA1_Final(digest, &context)
        tag.copyMemory(from: digest, byteCount: min(length, HMACSHA1.digestLength))
    }

    /// Whether the `length`-byte `received` tag is the MAC of `message` (+ `suffix`), compared in constant time.
    func verify(_ message: UnsafeRawPointer, count: Int, suffix: UInt32?, length: Int, received: UnsafeRawPointer) -> Bool {
        let expected = UnsafeMutableRawPointer(digest)
        tag(message, count: count, suffix: suffix, length: length, into: expected)
        return CRYPTO_memcmp(expected, received, length) == 0
    }
}
