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
