/// What the engine knows of one producer now: its codec, payload types, encodings (with the
/// SSRCs bound so far, by signalling, by rid or by a source replacement), pause state, and the
/// consumers that receive it. For listings (`GET /rooms/{room}/producers`), not the data path.
public struct ProducerSnapshot: Sendable, Hashable {
    /// One consumer of the producer.
    public struct ConsumerEntry: Sendable, Hashable {
        public var id: ConsumerID
        /// The subscriber's transport.
        public var transport: TransportID
        public var paused: Bool
    }

    public var id: ProducerID
    /// The publisher's transport.
    public var transport: TransportID
    public var kind: MediaKind
    public var mimeType: String
    public var clockRate: Int
    public var payloadType: UInt8
    public var rtxPayloadType: UInt8?
    /// Current encodings, lowest first.
    public var encodings: [ProducerEncoding]
    public var paused: Bool
    /// Score of each encoding, lowest first (0...10; 0 while it is not arriving).
    public var scores: [Int]
    /// Whether each encoding is arriving (docs/bitrate-allocation.md, "Inactive layers").
    public var arriving: [Bool]
    /// Round-trip time to the publisher per encoding, lowest first (RTCP XR DLRR); nil until
    /// measured.
    public var roundTrips: [Duration?]
    /// In creation order.
    public var consumers: [ConsumerEntry]
}

extension Engine {
    /// Every open producer, in creation order.
    public var producerSnapshots: [ProducerSnapshot] { producerList.map(snapshot) }

    /// The snapshot of one producer.
    public func producerSnapshot(_ id: ProducerID) throws(ControlError) -> ProducerSnapshot {
        snapshot(try producer(id))
    }

    private func snapshot(_ producer: Producer) -> ProducerSnapshot {
        ProducerSnapshot(
            id: producer.id, transport: producer.transport, kind: producer.kind, mimeType: producer.codec.mimeType,
            clockRate: producer.codec.clockRate, payloadType: producer.inputPayloadType, rtxPayloadType: producer.inputRTXPayloadType,
            encodings: producer.streams.map { stream in
                // An SVC producer declared without a mode runs the profile's.
                ProducerEncoding(ssrc: stream.ssrc, rid: stream.rid, rtxSSRC: stream.rtxSSRC, maxBitrate: stream.declaredBitrate,
                                 scalabilityMode: stream.declaredScalabilityMode ?? (producer.isSVC ? profile.producer.svcScalabilityMode : nil))
            },
            paused: producer.paused,
            scores: producer.streams.map(\.score.value), arriving: producer.streams.map(\.isReceiving),
            roundTrips: producer.streams.map(\.roundTrip),
            consumers: producer.consumers.map { ProducerSnapshot.ConsumerEntry(id: $0.id, transport: $0.transport, paused: $0.paused) })
    }
}
