/// What a `DTLSEndpoint` reports through `pollEvent()`.
public enum DTLSEvent: Equatable, Sendable {
    /// The handshake completed, the peer's certificate matched its fingerprint, and an SRTP
    /// profile was agreed: `keys` set up an `SRTPSession`.
    case connected(profile: SRTPProfile, keys: SRTPKeyingMaterial)
    /// The handshake or the connection failed; the endpoint is finished.
    case failed(DTLSFailure)
    /// The peer sent close_notify; the endpoint is finished.
    case closed
}

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

/// Counters of one DTLS endpoint.
public struct DTLSCounters: Equatable, Sendable {
    /// Datagrams passed to `handle`.
    public var datagramsReceived = 0
    /// Datagrams that were not whole DTLS records, dropped before OpenSSL.
    public var malformedDatagrams = 0
    /// Datagrams handed out by `pollTransmit`.
    public var datagramsSent = 0
    /// Datagrams received after the endpoint had finished (failed or closed), dropped.
    public var datagramsAfterFinish = 0
    /// Retransmission timeouts that fired (`handleTimeout` found OpenSSL's timer expired).
    public var retransmissionTimeouts = 0
    /// Handshakes failed because the peer certificate did not match its fingerprint.
    public var fingerprintMismatches = 0
    /// Other failures (protocol errors, timeouts, no common profile).
    public var failures = 0
    /// Application data records received (DTLS-SRTP carries none; ignored).
    public var applicationDataIgnored = 0
}
