import Engine

// A transport carries datagrams over UDP, or TCP with RFC 4571 framing (a 16-bit big-endian
// length before each RTP/RTCP packet): `Engine.TransportProtocol`, the profile's `listenInfos` type.

/// What kind of transport to create: `plain` (unencrypted RTP/RTCP, mediasoup `PlainTransport`)
/// or `webrtc` (ICE-lite, DTLS-SRTP, mediasoup `WebRtcTransport`; docs/control-api.md).
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
    /// Plain transports only: a webrtc transport's remote is ICE's selected tuple.
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

/// A created transport: where the client sends (UDP) or connects (TCP). A webrtc transport
/// also carries its `iceParameters`, `iceCandidates` (one host candidate: `ip`, `port`) and
/// `dtlsParameters` (`role: auto`, the server certificate's fingerprints).
public struct TransportInfo: Codable, Sendable, Hashable {
    public var id: Int
    public var type: TransportType?
    public var `protocol`: TransportProtocol
    public var ip: String
    public var port: UInt16
    /// The worker (event loop) that runs the room.
    public var worker: Int
    public var iceParameters: ICEParameters?
    public var iceCandidates: [ICECandidate]?
    public var dtlsParameters: DTLSParameters?

    public init(id: Int, type: TransportType? = .plain, protocol: TransportProtocol, ip: String, port: UInt16, worker: Int,
                iceParameters: ICEParameters? = nil, iceCandidates: [ICECandidate]? = nil, dtlsParameters: DTLSParameters? = nil) {
        self.id = id
        self.type = type
        self.protocol = `protocol`
        self.ip = ip
        self.port = port
        self.worker = worker
        self.iceParameters = iceParameters
        self.iceCandidates = iceCandidates
        self.dtlsParameters = dtlsParameters
    }
}

/// `POST /rooms/{room}/transports/{id}/connect`: for a plain transport created with
/// `comedia: false`, the client's address (`ip`, `port`); for a webrtc transport, the client's
/// `dtlsParameters` (mediasoup's `WebRtcTransport.connect`).
public struct ConnectTransportRequest: Codable, Sendable, Hashable {
    public var ip: String?
    public var port: UInt16?
    public var dtlsParameters: DTLSParameters?

    public init(ip: String, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    public init(dtlsParameters: DTLSParameters) {
        self.dtlsParameters = dtlsParameters
    }
}

/// `GET /rooms/{room}/transports/{id}/stats`.
public struct TransportStats: Codable, Sendable, Hashable {
    public var id: Int
    /// The congestion controller's current estimate for what the engine sends on this transport.
    public var availableOutgoingBitrate: Int
    public var bytesReceived: Int
    public var bytesSent: Int
    /// ICE, DTLS and SRTP state and drops of a webrtc transport; absent for plain ones.
    public var webRtc: WebRTCTransportStats?

    public init(id: Int, availableOutgoingBitrate: Int, bytesReceived: Int, bytesSent: Int, webRtc: WebRTCTransportStats? = nil) {
        self.id = id
        self.availableOutgoingBitrate = availableOutgoingBitrate
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.webRtc = webRtc
    }
}
