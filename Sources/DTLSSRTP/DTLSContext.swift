import COpenSSL

/// An OpenSSL DTLS 1.2 context: the certificate, the SRTP profiles offered in preference order
/// (a server's order wins), and the peer-certificate check. Create one per certificate and
/// profile list and share it: `SSL_new` on a configured context is thread-safe.
public final class DTLSContext: @unchecked Sendable {
    /// The `SSL_CTX` (owned).
    let context: OpaquePointer
    /// The certificate presented to peers.
    public let certificate: DTLSCertificate
    /// SRTP profiles offered, most preferred first.
    public let profiles: [SRTPProfile]

    /// A DTLS 1.2-only context presenting `certificate` and offering `profiles`.
    public init(certificate: DTLSCertificate, profiles: [SRTPProfile] = SRTPProfile.defaultPreference) throws(DTLSError) {
        guard !profiles.isEmpty else { throw .noProfiles }
        ERR_clear_error()
        guard let context = SSL_CTX_new(DTLS_method()) else { throw DTLSError.openSSL("SSL_CTX_new(DTLS_method)") }
        self.context = context
        self.certificate = certificate
        self.profiles = profiles
        var unique: [SRTPProfile] = []
        for profile in profiles where !unique.contains(profile) { unique.append(profile) }
        let list = unique.map(\.openSSLName).joined(separator: ":")
        guard sfulab_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1,
              sfulab_SSL_CTX_set_max_proto_version(context, DTLS1_2_VERSION) == 1 else {
            throw DTLSError.openSSL("SSL_CTX_set_min/max_proto_version(DTLS 1.2)")
        }
        guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
              SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
              SSL_CTX_check_private_key(context) == 1 else {
            throw DTLSError.openSSL("SSL_CTX_use_certificate/PrivateKey")
        }
        // ECDHE with ECDSA or RSA certificates, no NULL or anonymous suites.
        guard SSL_CTX_set_cipher_list(context, "DEFAULT:!NULL:!aNULL:!eNULL:!PSK") == 1 else {
            throw DTLSError.openSSL("SSL_CTX_set_cipher_list")
        }
        // Returns 0 on success (the opposite of most of OpenSSL).
        guard SSL_CTX_set_tlsext_use_srtp(context, list) == 0 else {
            throw DTLSError.openSSL("SSL_CTX_set_tlsext_use_srtp(\(list))")
        }
        _ = sfulab_SSL_CTX_set_read_ahead(context, 1)
        // Both roles ask for the peer's certificate; the callback accepts self-signed ones and
        // checks the leaf against the signalled fingerprint instead of a CA chain (RFC 5763 §5).
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, DTLSContext.verifyPeer)
    }

    deinit { SSL_CTX_free(context) }

    /// Accepts a peer certificate whose fingerprint is the signalled one, whatever its chain.
    private static let verifyPeer: @convention(c) (Int32, OpaquePointer?) -> Int32 = { _, store in
        guard let store,
              let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
              let state = DatagramBIOState.from(SSL_get_ex_data(OpaquePointer(ssl), 0)) else { return 0 }
        // Only the leaf matters: self-signed certificates have no chain.
        guard X509_STORE_CTX_get_error_depth(store) == 0 else { return 1 }
        guard let certificate = X509_STORE_CTX_get_current_cert(store),
              let actual = DTLSFingerprint.of(certificate: certificate, algorithm: state.expectedFingerprint.algorithm) else { return 0 }
        guard actual == state.expectedFingerprint else {
            state.mismatchedFingerprint = actual
            return 0
        }
        state.verifiedFingerprint = actual
        return 1
    }
}
