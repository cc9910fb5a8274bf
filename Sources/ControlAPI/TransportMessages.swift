import Engine

// A transport carries datagrams over UDP, or TCP with RFC 4571 framing (a 16-bit big-endian
// length before each RTP/RTCP packet): `Engine.TransportProtocol`, the profile's `listenInfos` type.

/// What kind of transport to create: `plain` (unencrypted RTP/RTCP, mediasoup `PlainTransport`)
/// or `webrtc` (ICE-lite, DTLS-SRTP; not implemented yet, refused with 501).
public enum TransportType: String, Codable, Sendable, Hashable, CaseIterable {
    case plain, webrtc
}

/// `POST /rooms/{room}/transports`: creates a transport in the room (the room is created, on the
/// next worker round-robin, when it does not exist yet). Every field is optional in JSON:
/// `{}` asks for a plain UDP transport with comedia.
public struct CreateTransportRequest: Codable, Sendable, Hashable {
    /// Default `plain`.
    public var type: TransportType
    /// Default `udp`.
    public var `protocol`: TransportProtocol
    /// Learn the remote address from the first datagram (mediasoup `comedia`). Default true.
    public var comedia: Bool

    public init(type: TransportType = .plain, protocol: TransportProtocol = .udp, comedia: Bool = true) {
        self.type = type
        self.protocol = `protocol`
        self.comedia = comedia
    }

    private enum CodingKeys: String, CodingKey {
        case type, `protocol`, comedia
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(TransportType.self, forKey: .type) ?? .plain
        `protocol` = try container.decodeIfPresent(TransportProtocol.self, forKey: .protocol) ?? .udp
        comedia = try container.decodeIfPresent(Bool.self, forKey: .comedia) ?? true
    }
}

/// A created transport: where the client sends (UDP) or connects (TCP).
public struct TransportInfo: Codable, Sendable, Hashable {
    public var id: Int
    public var `protocol`: TransportProtocol
    public var ip: String
    public var port: UInt16
    /// The worker (event loop) that runs the room.
    public var worker: Int

    public init(id: Int, protocol: TransportProtocol, ip: String, port: UInt16, worker: Int) {
        self.id = id
        self.protocol = `protocol`
        self.ip = ip
        self.port = port
        self.worker = worker
    }
}

/// `POST /rooms/{room}/transports/{id}/connect`: the client's address, for a transport created
/// with `comedia: false`.
public struct ConnectTransportRequest: Codable, Sendable, Hashable {
    public var ip: String
    public var port: UInt16

    public init(ip: String, port: UInt16) {
        self.ip = ip
        self.port = port
    }
}

/// `GET /rooms/{room}/transports/{id}/stats`.
public struct TransportStats: Codable, Sendable, Hashable {
    public var id: Int
    /// The congestion controller's current estimate for what the engine sends on this transport.
    public var availableOutgoingBitrate: Int
    public var bytesReceived: Int
    public var bytesSent: Int

    public init(id: Int, availableOutgoingBitrate: Int, bytesReceived: Int, bytesSent: Int) {
        self.id = id
        self.availableOutgoingBitrate = availableOutgoingBitrate
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
    }
}
