import CSRTP

/// libsrtp2's process-wide initialisation: `srtp_init` runs once, on first use, from whichever
/// thread gets there first (Swift's lazy globals are initialised under `swift_once`).
///
/// libsrtp2 2.5's `srtp_init` is not idempotent: a second call in a process returns
/// `srtp_err_status_bad_param` although the library keeps working (measured). If other code in the
/// process called it first, `srtp_init` here fails that way; the library then counts as ready when
/// a probe session can be created.
enum SRTPLibrary {
    /// The status `srtp_init` returned here.
    static let initialization: srtp_err_status_t = srtp_init()

    /// Whether libsrtp2 is ready: initialised here, or by someone else as the probe shows.
    static let isReady: Bool = {
        if initialization == srtp_err_status_ok { return true }
        guard initialization == srtp_err_status_bad_param else { return false }
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        policy.ssrc.type = ssrc_any_outbound
        var key = [UInt8](repeating: 0, count: 30)
        var session: srtp_t?
        let status = key.withUnsafeMutableBufferPointer { pointer -> srtp_err_status_t in
            policy.key = pointer.baseAddress
            return srtp_create(&session, &policy)
        }
        if let session { srtp_dealloc(session) }
        return status == srtp_err_status_ok
    }()

    /// libsrtp2's version string, e.g. "libsrtp2 2.5.0".
    static var version: String { String(cString: srtp_get_version_string()) }
}
