import CSRTP

/// libsrtp2's process-wide initialisation: `srtp_init` runs exactly once, on first use, from
/// whichever thread gets there first (Swift's lazy globals are initialised under `swift_once`).
enum SRTPLibrary {
    /// The status `srtp_init` returned.
    static let initialization: srtp_err_status_t = srtp_init()

    /// Whether libsrtp2 is ready.
    static var isReady: Bool { initialization == srtp_err_status_ok }

    /// libsrtp2's version string, e.g. "libsrtp2 2.5.0".
    static var version: String { String(cString: srtp_get_version_string()) }
}
