import COpenSSL
import Engine

/// Which library protects and unprotects SRTP packets: a live-mode tuning knob (DESIGN.md). Both
/// give the same `SRTPSession` API, the same bytes on the wire and the same errors and counters;
/// they differ in cost (docs/dtls-srtp.md, "OpenSSL EVP backend").
public enum SRTPBackend: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// libsrtp2 (Debian's, built on NSS: allocates on every packet).
    case libsrtp2
    /// RFC 3711 / RFC 7714 implemented here on OpenSSL's libcrypto (EVP ciphers with contexts
    /// created once per session, HMAC-SHA1 from precomputed states): no allocation per packet.
    case openssl

    public var description: String { rawValue }

    /// The backend a profile's `webRtcTransport.srtpBackend` names.
    public init(_ name: SRTPBackendName) {
        switch name {
        case .libsrtp2: self = .libsrtp2
        case .openssl: self = .openssl
        }
    }

    /// The library's version string, e.g. "libsrtp2 2.5.0" or "OpenSSL 3.0.22 …".
    public var libraryVersion: String {
        switch self {
        case .libsrtp2: SRTPLibrary.version
        case .openssl: String(cString: OpenSSL_version(OPENSSL_VERSION))
        }
    }
}
