/// Which side of the DTLS handshake an endpoint takes, as signalled in mediasoup's
/// `dtlsParameters.role` (RFC 5763 §5's setup attribute: active = client, passive = server,
/// actpass = auto).
public enum DTLSRole: String, Sendable, Codable, CaseIterable {
    /// Either; resolved against the remote role by `resolved(remote:)`.
    case auto
    /// Sends the ClientHello.
    case client
    /// Answers the ClientHello.
    case server

    /// The role this side takes given the remote side's signalled role, as mediasoup's
    /// `WebRtcTransport` resolves it: opposite of an explicit remote role; against a remote
    /// `auto`, a local `auto` becomes client (mediasoup is ICE-lite, hence ICE-controlled, and
    /// takes the active role). Throws when both sides insist on the same role.
    public func resolved(remote: DTLSRole) throws(DTLSError) -> DTLSRole {
        switch (self, remote) {
        case (.auto, .auto): return .client
        case (.auto, .client): return .server
        case (.auto, .server): return .client
        case (.client, .client), (.server, .server):
            throw .roleConflict(local: self, remote: remote)
        case (.client, _): return .client
        case (.server, _): return .server
        }
    }
}
