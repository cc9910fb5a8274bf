import Engine

/// One producer of a room as `GET /rooms/{room}/producers` lists it and tap events carry it.
/// There are no participants in the engine: a producer belongs to its publisher's `transport`
/// (a send transport), and each consumer names the subscriber's transport.
public struct ProducerDescription: Codable, Sendable, Hashable {
    /// One consumer of the producer.
    public struct ConsumerEntry: Codable, Sendable, Hashable {
        public var id: Int
        /// The subscriber's transport.
        public var transport: Int
        public var paused: Bool

        public init(id: Int, transport: Int, paused: Bool) {
            self.id = id
            self.transport = transport
            self.paused = paused
        }
    }

    public var id: Int
    /// The publisher's transport.
    public var transport: Int
    public var kind: MediaKind
    public var mimeType: String
    public var clockRate: Int
    public var payloadType: UInt8
    public var rtxPayloadType: UInt8?
    /// Encodings, lowest first, with the SSRCs bound so far (a rid-only encoding gets its SSRC
    /// from its first packet).
    public var encodings: [EncodingInfo]
    public var paused: Bool
    /// Score of each encoding, lowest first (0...10, 0 while it is not arriving; mediasoup's
    /// `producer.score`). Absent from servers that predate it.
    public var scores: [Int]?
    /// Whether each encoding is arriving (docs/bitrate-allocation.md, "Inactive layers");
    /// consumers only get arriving encodings.
    public var arriving: [Bool]?
    /// Round-trip time to the publisher per encoding in milliseconds, lowest first, from its
    /// RTCP XR DLRR answers (RFC 3611 §4.5); null for an encoding not measured yet. Absent from
    /// servers that predate it.
    public var roundTripMilliseconds: [Double?]?
    public var consumers: [ConsumerEntry]

    public init(id: Int, transport: Int, kind: MediaKind, mimeType: String, clockRate: Int, payloadType: UInt8, rtxPayloadType: UInt8?,
                encodings: [EncodingInfo], paused: Bool, scores: [Int]? = nil, arriving: [Bool]? = nil,
                roundTripMilliseconds: [Double?]? = nil, consumers: [ConsumerEntry]) {
        self.id = id
        self.transport = transport
        self.kind = kind
        self.mimeType = mimeType
        self.clockRate = clockRate
        self.payloadType = payloadType
        self.rtxPayloadType = rtxPayloadType
        self.encodings = encodings
        self.paused = paused
        self.scores = scores
        self.arriving = arriving
        self.roundTripMilliseconds = roundTripMilliseconds
        self.consumers = consumers
    }

    public init(_ snapshot: ProducerSnapshot) {
        self.init(id: snapshot.id.rawValue, transport: snapshot.transport.rawValue, kind: snapshot.kind, mimeType: snapshot.mimeType,
                  clockRate: snapshot.clockRate, payloadType: snapshot.payloadType, rtxPayloadType: snapshot.rtxPayloadType,
                  encodings: snapshot.encodings.map(EncodingInfo.init), paused: snapshot.paused,
                  scores: snapshot.scores, arriving: snapshot.arriving,
                  roundTripMilliseconds: snapshot.roundTrips.map { $0?.milliseconds },
                  consumers: snapshot.consumers.map { ConsumerEntry(id: $0.id.rawValue, transport: $0.transport.rawValue, paused: $0.paused) })
    }
}

/// `GET /rooms/{room}/producers`: every open producer, in creation order.
public struct ProducerList: Codable, Sendable, Hashable {
    public var room: String
    public var producers: [ProducerDescription]

    public init(room: String, producers: [ProducerDescription]) {
        self.room = room
        self.producers = producers
    }
}
