import COpenSSL

/// One OpenSSL cipher context (AES-CTR or AES-GCM) keyed once and reused for every packet: each
/// packet only sets a new IV, so nothing is allocated per packet. Encrypts or decrypts, as fixed
/// at creation; works in place. Not thread-safe.
final class EVPCipher {
    private let context: OpaquePointer
    /// Scratch output for `EVP_CipherFinal_ex` (GCM writes nothing there; the API wants a buffer).
    private let finalOutput = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)

    /// A context for `name` (OpenSSL's algorithm name, e.g. "AES-128-CTR", "AES-256-GCM") keyed with `key`.
    init(name: String, key: [UInt8], encrypt: Bool) throws(SRTPError) {
        guard let cipher = EVP_CIPHER_fetch(nil, name, nil) else { throw .library(status: -10) }
        defer { EVP_CIPHER_free(cipher) }
        guard Int(EVP_CIPHER_get_key_length(cipher)) == key.count, let context = EVP_CIPHER_CTX_new() else {
            throw .library(status: -11)
        }
        let status = key.withUnsafeBufferPointer { EVP_CipherInit_ex2(context, cipher, $0.baseAddress, nil, encrypt ? 1 : 0, nil) }
        guard status == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw .library(status: -12)
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
        finalOutput.deallocate()
    }

    /// Starts a message with `iv` (16 bytes for CTR, 12 for GCM); keeps the key.
    func start(iv: UnsafePointer<UInt8>) -> Bool {
        EVP_CipherInit_ex2(context, nil, nil, iv, -1, nil) == 1
    }

    /// Feeds additional authenticated data (GCM) before any `apply`.
    func authenticate(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var written: Int32 = 0
        return EVP_CipherUpdate(context, nil, &written, bytes, Int32(count)) == 1
    }

    /// Encrypts or decrypts `count` bytes in place.
    func apply(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
        guard count > 0 else { return true }
        var written: Int32 = 0
        return EVP_CipherUpdate(context, bytes, &written, bytes, Int32(count)) == 1 && Int(written) == count
    }

    /// Finishes a GCM encryption and writes its 16-byte tag to `tag`.
    func finishSealing(tag: UnsafeMutablePointer<UInt8>) -> Bool {
        var written: Int32 = 0
        guard EVP_CipherFinal_ex(context, finalOutput, &written) == 1 else { return false }
        return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1
    }

    /// Finishes a GCM decryption against the 16-byte `tag`; false if it does not verify.
    func finishOpening(tag: UnsafeMutablePointer<UInt8>) -> Bool {
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 else { return false }
        var written: Int32 = 0
        return EVP_CipherFinal_ex(context, finalOutput, &written) == 1
    }
}
