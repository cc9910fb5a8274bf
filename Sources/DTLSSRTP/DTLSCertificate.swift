import COpenSSL

/// A DTLS certificate and its private key: an ECDSA P-256 self-signed certificate generated in
/// memory (as browsers and mediasoup do), or one loaded from PEM.
///
/// Generating costs a few milliseconds: make one per process (`shared()`) or per server and hand
/// it to every `DTLSContext`. Immutable after creation; OpenSSL's reference counts are atomic, so
/// contexts on several threads may use it at once.
public final class DTLSCertificate: @unchecked Sendable {
    /// The X509 certificate (owned).
    let x509: OpaquePointer
    /// The private key (owned).
    let privateKey: OpaquePointer

    /// The certificate's SHA-256 fingerprint, which the peer signals and checks.
    public let fingerprint: DTLSFingerprint

    private init(x509: OpaquePointer, privateKey: OpaquePointer) throws(DTLSError) {
        self.x509 = x509
        self.privateKey = privateKey
        guard let fingerprint = DTLSFingerprint.of(certificate: x509, algorithm: .sha256) else {
            X509_free(x509)
            EVP_PKEY_free(privateKey)
            throw DTLSError.openSSL("X509_digest")
        }
        self.fingerprint = fingerprint
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    /// The certificate's fingerprint with another hash function.
    public func fingerprint(_ algorithm: DTLSFingerprint.Algorithm) -> DTLSFingerprint {
        // X509_digest fails only on allocation failure; the SHA-256 one was computed at init.
        DTLSFingerprint.of(certificate: x509, algorithm: algorithm) ?? fingerprint
    }

    /// Generates an ECDSA P-256 key and a self-signed certificate for it (SHA-256 signature,
    /// random serial, valid from a day ago for `validDays` days, subject CN=`commonName`).
    public static func generate(commonName: String = "sfulab", validDays: Int = 30) throws(DTLSError) -> DTLSCertificate {
        guard let key = sfulab_EVP_EC_gen("P-256") else { throw DTLSError.openSSL("EVP_EC_gen(P-256)") }
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSError.openSSL("X509_new")
        }
        let serial = UInt64.random(in: 1...UInt64(Int64.max))
        let ok = X509_set_version(x509, 2) == 1
            && ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1
            && X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil
            && X509_gmtime_adj(X509_getm_notAfter(x509), validDays * 86_400) != nil
            && X509_set_pubkey(x509, key) == 1
            && X509_NAME_add_entry_by_txt(X509_get_subject_name(x509), "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1
            && X509_set_issuer_name(x509, X509_get_subject_name(x509)) == 1
            && X509_sign(x509, key, EVP_sha256()) > 0
        guard ok else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw DTLSError.openSSL("building the self-signed certificate")
        }
        return try DTLSCertificate(x509: x509, privateKey: key)
    }

    /// Loads a certificate and its private key from PEM text; fails if the key does not match.
    public static func load(certificatePEM: String, privateKeyPEM: String) throws(DTLSError) -> DTLSCertificate {
        guard let x509 = readPEM(certificatePEM, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            throw .invalidPEM("no certificate in the certificate PEM: \(drainedDetail())")
        }
        guard let key = readPEM(privateKeyPEM, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            X509_free(x509)
            throw .invalidPEM("no private key in the key PEM: \(drainedDetail())")
        }
        guard X509_check_private_key(x509, key) == 1 else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw .invalidPEM("the private key does not match the certificate")
        }
        return try DTLSCertificate(x509: x509, privateKey: key)
    }

    /// The certificate as PEM.
    public var certificatePEM: String {
        writePEM { PEM_write_bio_X509($0, x509) }
    }

    /// The private key as unencrypted PKCS#8 PEM (keep it secret).
    public var privateKeyPEM: String {
        writePEM { PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil) }
    }

    /// One certificate for the whole process, generated on first use (thread-safe).
    public static func shared() throws(DTLSError) -> DTLSCertificate {
        switch processCertificate {
        case .success(let certificate): return certificate
        case .failure(let error): throw error
        }
    }

    private static let processCertificate: Result<DTLSCertificate, DTLSError> = {
        Result { () throws(DTLSError) in try generate() }
    }()

    private static func drainedDetail() -> String { DTLSError.drainOpenSSLErrors() }

    private static func readPEM(_ text: String, _ read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    private func writePEM(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = sfulab_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
