import Engine

/// The engine server's HTTP/JSON control API (docs/control-api.md): the request and response
/// bodies shared by the server (`EngineServer`) and its clients (the live trial runner, `sfulab
/// record --engine`). Names follow mediasoup v3; every body is a JSON object, field names in
/// lowerCamelCase, bit rates in bits per second, durations in microseconds.
public enum ControlAPI {
    /// Version of the API; `GET /health` reports it so a client can refuse a server it does not speak.
    public static let version = 1
}

/// `GET /health`.
public struct HealthResponse: Codable, Sendable, Hashable {
    public var status: String
    public var apiVersion: Int
    public var workers: Int
    public var rooms: Int
    public var uptimeSeconds: Double

    public init(status: String = "ok", apiVersion: Int = ControlAPI.version, workers: Int, rooms: Int, uptimeSeconds: Double) {
        self.status = status
        self.apiVersion = apiVersion
        self.workers = workers
        self.rooms = rooms
        self.uptimeSeconds = uptimeSeconds
    }
}

/// One codec of the router's RTP capabilities.
public struct CodecInfo: Codable, Sendable, Hashable {
    public var kind: MediaKind
    public var mimeType: String
    public var clockRate: Int
    public var payloadType: UInt8
    public var rtxPayloadType: UInt8

    public init(_ codec: RouterCapabilities.Codec) {
        kind = codec.kind
        mimeType = codec.mimeType
        clockRate = codec.clockRate
        payloadType = codec.payloadType
        rtxPayloadType = codec.rtxPayloadType
    }
}

/// `GET /capabilities`: the router's codecs and the header-extension ids every transport uses.
public struct CapabilitiesResponse: Codable, Sendable, Hashable {
    public var codecs: [CodecInfo]
    /// Header-extension URI short names (`mid`, `rid`, `repairedRid`, `absSendTime`,
    /// `transportWideCc`, `audioLevel`) to their RFC 8285 ids.
    public var headerExtensions: [String: UInt8]

    public init(_ capabilities: RouterCapabilities) {
        codecs = capabilities.codecs.map(CodecInfo.init)
        typealias ID = RouterCapabilities.HeaderExtensionID
        headerExtensions = ["mid": ID.mid, "rid": ID.rid, "repairedRid": ID.repairedRID, "absSendTime": ID.absSendTime,
                            "transportWideCc": ID.transportWideCC, "audioLevel": ID.audioLevel]
    }
}
