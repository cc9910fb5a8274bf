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
