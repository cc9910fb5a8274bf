/// Why a DTLS endpoint failed.
public enum DTLSFailure: Equatable, Sendable, CustomStringConvertible {
    /// The peer's certificate does not have the signalled fingerprint.
    case fingerprintMismatch(expected: DTLSFingerprint, received: DTLSFingerprint)
    /// The handshake completed without an SRTP profile both sides support.
    case noCommonSRTPProfile
    /// Exporting the keying material failed.
    case keyExportFailed(String)
    /// The peer stopped answering: OpenSSL gave up after its retransmissions.
    case timedOut
    /// OpenSSL reported a protocol error (a received alert, a bad message); its error text.
    case protocolError(String)

    public var description: String {
        switch self {
        case .fingerprintMismatch(let expected, let received): "peer certificate fingerprint \(received) does not match the signalled \(expected)"
        case .noCommonSRTPProfile: "no common SRTP protection profile"
        case .keyExportFailed(let detail): "exporting SRTP keying material failed: \(detail)"
        case .timedOut: "the DTLS handshake timed out"
        case .protocolError(let detail): "DTLS protocol error: \(detail)"
        }
    }
}
