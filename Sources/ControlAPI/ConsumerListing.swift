import Engine

/// One consumer of a room as `GET /rooms/{room}/consumers` lists it: what
/// `GET /rooms/{room}/consumers/{id}` says about it, and which producer it receives on which
/// transport.
public struct ConsumerDescription: Codable, Sendable, Hashable {
    public var id: Int
    public var producerId: Int
    /// The subscriber's transport.
    public var transport: Int
    public var kind: MediaKind
    public var paused: Bool
    /// The layers being forwarded now (nil for a simple consumer, or before the first packet).
    public var currentLayers: ConsumerLayers?

    public init(id: Int, producerId: Int, transport: Int, kind: MediaKind, paused: Bool, currentLayers: ConsumerLayers?) {
        self.id = id
        self.producerId = producerId
        self.transport = transport
        self.kind = kind
        self.paused = paused
        self.currentLayers = currentLayers
    }
}

/// `GET /rooms/{room}/consumers`: every open consumer with its current layers, by id (creation
/// order), in one request — what a client polling layers reads instead of one request per
/// consumer.
public struct ConsumerList: Codable, Sendable, Hashable {
    public var room: String
    public var consumers: [ConsumerDescription]

    public init(room: String, consumers: [ConsumerDescription]) {
        self.room = room
        self.consumers = consumers
    }
}
