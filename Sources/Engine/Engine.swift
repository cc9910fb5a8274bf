import RTP

/// A sans-IO SFU core with mediasoup v3 semantics: transports, producers, consumers, observers.
///
/// Drive it from outside:
/// - feed datagrams with `handleDatagram(from:to:bytes:now:)` and timers with `handleTimeout(now:)`;
/// - drain `poll()` until it returns nil after every input call (transmit views are valid until
///   the next input call);
/// - call `handleTimeout` again at `nextDeadline()`.
/// It never opens a socket, never reads a clock, and draws randomness only from the seeded
/// generator it was created with, so the same inputs give the same outputs bit for bit.
public final class Engine {
    /// Errors from the control API.
    public enum ControlError: Error, Equatable, CustomStringConvertible {
        case unknownTransport(TransportID)
        case unknownProducer(ProducerID)
        case unknownConsumer(ConsumerID)
        case unsupportedCodec(String)
        case invalidParameters(String)

        public var description: String {
            switch self {
            case .unknownTransport(let id): "no transport \(id)"
            case .unknownProducer(let id): "no producer \(id)"
            case .unknownConsumer(let id): "no consumer \(id)"
            case .unsupportedCodec(let mime): "codec \(mime) is not in router.mediaCodecs"
            case .invalidParameters(let message): message
            }
        }
    }

    public let profile: Profile
    public let capabilities: RouterCapabilities
    /// Address engine transports listen on (a label in simulated mode).
    public let listenAddress: UInt32
    public internal(set) var counters = EngineCounters()
    /// Called with every media packet the engine accepted from a producer, before forwarding it
    /// (the engine server's taps, docs/control-api.md). Nil costs one check per packet.
    public var mediaObserver: ((AcceptedMedia) -> Void)?

    var transports: [Transport] = []
    var transportsByPort: [UInt16: Transport] = [:] { didSet { lastIngressTransport = nil } }
    /// The transport the last datagram arrived on (see `ingressTransport(for:)`).
    var lastIngressTransport: Transport?
    var producers: [Int: Producer] = [:]
    /// The same producers in creation order, for deterministic iteration without sorting.
    var producerList: [Producer] = []
    var consumers: [Int: Consumer] = [:]
    var observers: [Int: AudioLevelObserver] = [:]
    var speakerObservers: [Int: ActiveSpeakerObserver] = [:]
    let pool = PacketPool()
    let output = OutputQueue()
    var events: [EngineEvent] = []
    var eventReadIndex = 0
    var random: SeededGenerator
    var nextPort: UInt16
    var nextProducerID = 0
    var nextConsumerID = 0
    var nextObserverID = 0
    var usedSSRCs: Set<UInt32> = []
    /// SSRC the engine puts in the sender field of the RTCP it originates.
    let rtcpSenderSSRC: UInt32
    var nextReportAt: Instant?
    /// Earliest NACK or key-frame timer over all producer streams, brought up to date only after
    /// something changed a stream's timers (`streamTimersChanged`; Engine+Timers.swift). It is
    /// kept exact: a stale, earlier value would add a `handleTimeout` at that instant, and a
    /// timeout runs the pacer and congestion timers, so results could change.
    var streamTimersDeadline: Instant?
    /// The slot of `streamTimerDeadlines` holding `streamTimersDeadline` (Engine+Timers.swift).
    var streamTimersDeadlineSlot: Int?
    var streamTimersChanged = true
    var nextAllocationAt: Instant?
    /// When the first receiving producer stream would become inactive (a lower bound: later
    /// packets only move it back). See `checkStreamActivity`.
    var nextActivityCheckAt: Instant?
    /// Next congestion-control tick (REMB, probing), once a transport has traffic.
    var nextCongestionAt: Instant?
    /// Each transport's `refreshedCongestionDeadline()` and whether its pacer holds packets, by
    /// transport id, and the earliest of those deadlines; recomputed only for the transports in
    /// `staleTransportDeadlines` (Congestion/TransportDeadlineIndex.swift).
    var transportDeadlineIndex = TransportDeadlineIndex()
    let staleTransportDeadlines = StaleList()
    /// Each producer stream's earliest NACK or key-frame timer, by `Producer.Stream.timerIndex`
    /// (nil once its producer is closed), recomputed only for the streams in `staleStreamTimers`.
    var streamTimerDeadlines: [Instant?] = []
    var streamsByTimerIndex: [Producer.Stream?] = []
    let staleStreamTimers = StaleList()
    /// Scratch buffer for RTX unwrapping (one packet).
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: PacketPool.slotSize, alignment: 16)

    /// Creates an engine for `profile`; `seed` determines every random choice (SSRCs, initial
    /// sequence numbers, report jitter).
    public init(profile: Profile, listenAddress: UInt32 = 0x7F00_0001, firstPort: UInt16 = 40_000, seed: UInt64) {
        self.profile = profile
        capabilities = RouterCapabilities(router: profile.router)
        self.listenAddress = listenAddress
        nextPort = firstPort
        random = SeededGenerator(seed: seed)
        rtcpSenderSSRC = UInt32(truncatingIfNeeded: random.next())
    }

    deinit { scratch.deallocate() }

    // MARK: Control API

    /// Creates a transport listening on a new local port. With `remote` nil the remote endpoint is
    /// learned from the first datagram received (mediasoup `comedia`).
    @discardableResult
    public func createTransport(remote: Endpoint? = nil) -> (id: TransportID, local: Endpoint) {
        let id = TransportID(rawValue: transports.count)
        let local = Endpoint(address: listenAddress, port: nextPort)
        nextPort &+= 1
        var bitrate = profile.webRtcTransport.initialAvailableOutgoingBitrate
        if let floor = profile.webRtcTransport.minOutgoingBitrate { bitrate = max(bitrate, floor) }
        if let ceiling = profile.webRtcTransport.maxOutgoingBitrate { bitrate = min(bitrate, ceiling) }
        let transport = Transport(id: id, local: local, remote: remote, initialOutgoingBitrate: bitrate,
                                  minOutgoingBitrate: profile.webRtcTransport.minOutgoingBitrate ?? Self.defaultMinOutgoingBitrate,
                                  maxOutgoingBitrate: profile.webRtcTransport.maxOutgoingBitrate ?? Self.defaultMaxOutgoingBitrate,
                                  congestion: profile.feedback.congestion, staleDeadlines: staleTransportDeadlines)
        transports.append(transport)
        transportDeadlineIndex.append()
        transportsByPort[local.port] = transport
        return (id, local)
    }

    /// Starts receiving a producer's media on `transportID`.
    public func produce(on transportID: TransportID, _ options: ProducerOptions) throws(ControlError) -> ProducerID {
        let transport = try transport(transportID)
        guard let codec = capabilities.codec(mimeType: options.mimeType), codec.kind == options.kind else {
            throw .unsupportedCodec(options.mimeType)
        }
        guard !options.encodings.isEmpty else { throw .invalidParameters("a producer needs at least one encoding") }
        for encoding in options.encodings {
            if encoding.ssrc == nil && encoding.rid == nil {
                throw .invalidParameters("every encoding needs an ssrc or a rid")
            }
            for ssrc in [encoding.ssrc, encoding.rtxSSRC].compactMap({ $0 }) where transport.incoming[ssrc] != nil {
                throw .invalidParameters("ssrc \(ssrc) is already in use on \(transportID)")
            }
        }
        let id = ProducerID(rawValue: nextProducerID)
        nextProducerID += 1
        let producer = Producer(id: id, transport: transportID, options: options, codec: codec, profile: profile)
        for stream in producer.streams {
            stream.watchTimers(index: streamsByTimerIndex.count, staleList: staleStreamTimers)
            streamsByTimerIndex.append(stream)
            streamTimerDeadlines.append(nil)
        }
        for stream in producer.streams {
            if let ssrc = stream.ssrc { transport.incoming[ssrc] = .init(producer: producer, stream: stream, isRTX: false) }
            if let rtx = stream.rtxSSRC { transport.incoming[rtx] = .init(producer: producer, stream: stream, isRTX: true) }
        }
        producers[id.rawValue] = producer
        producerList.append(producer)
        transport.producers.append(producer)
        return id
    }

    /// Starts sending a producer's media to a subscriber on `transportID`.
    public func consume(on transportID: TransportID, _ options: ConsumerOptions) throws(ControlError) -> (ConsumerID, ConsumerParameters) {
        let transport = try transport(transportID)
        guard let producer = producers[options.producer.rawValue] else { throw .unknownProducer(options.producer) }
        let id = ConsumerID(rawValue: nextConsumerID)
        nextConsumerID += 1
        let type: ConsumerType = producer.isSVC ? .svc : producer.isSimulcast ? .simulcast : .simple
        let useRTX = producer.isVideo && profile.consumer.enableRtx
        let parameters = ConsumerParameters(
            type: type, kind: producer.kind, mimeType: producer.codec.mimeType, clockRate: producer.codec.clockRate,
            ssrc: newSSRC(), payloadType: producer.codec.payloadType,
            rtxSSRC: useRTX ? newSSRC() : nil, rtxPayloadType: useRTX ? producer.codec.rtxPayloadType : nil)
        let consumer = Consumer(id: id, transport: transportID, producer: producer, parameters: parameters,
                                options: options, profile: profile,
                                initialSequence: UInt16(truncatingIfNeeded: random.next()),
                                initialRTXSequence: UInt16(truncatingIfNeeded: random.next()))
        consumers[id.rawValue] = consumer
        producer.consumers.append(consumer)
        transport.consumers.append(consumer)
        transport.consumersBySSRC[parameters.ssrc] = consumer
        if let rtx = parameters.rtxSSRC { transport.consumersBySSRC[rtx] = consumer }
        allocate(transport: transport, now: nil)
        return (id, parameters)
    }

    public func pauseProducer(_ id: ProducerID) throws(ControlError) {
        try producer(id).paused = true
    }

    /// Resumes a producer; its video consumers restart at the next key frame, which is requested.
    public func resumeProducer(_ id: ProducerID, now: Instant) throws(ControlError) {
        let producer = try producer(id)
        guard producer.paused else { return }
        producer.paused = false
        for consumer in producer.consumers { consumer.restart() }
        for transport in Set(producer.consumers.map(\.transport.rawValue)).sorted() { allocate(transport: transports[transport], now: now) }
        requestKeyFrames(for: producer, now: now)
    }

    public func pauseConsumer(_ id: ConsumerID) throws(ControlError) {
        try consumer(id).paused = true
    }

    /// Resumes a consumer; video restarts at a key frame, which is requested.
    public func resumeConsumer(_ id: ConsumerID, now: Instant) throws(ControlError) {
        let consumer = try consumer(id)
        guard consumer.paused else { return }
        consumer.paused = false
        consumer.restart()
        allocate(transport: try transport(consumer.transport), now: now)
        requestKeyFrames(for: consumer.producer, now: now)
    }

    /// Sets the layers a simulcast or SVC consumer prefers (mediasoup `setPreferredLayers`).
    public func setPreferredLayers(_ id: ConsumerID, _ layers: ConsumerLayers, now: Instant) throws(ControlError) {
        let consumer = try consumer(id)
        let highest = consumer.producer.spatialLayerCount - 1
        let highestTemporal = consumer.producer.highestTemporalLayer
        consumer.preferredLayers = ConsumerLayers(spatialLayer: max(0, min(layers.spatialLayer, highest)),
                                                  temporalLayer: max(0, min(layers.temporalLayer ?? highestTemporal, highestTemporal)))
        allocate(transport: try transport(consumer.transport), now: now)
        requestKeyFrames(for: consumer.producer, now: now)
    }

    /// Sets a consumer's allocation priority, 1...255 (mediasoup `setPriority`).
    public func setPriority(_ id: ConsumerID, _ priority: Int, now: Instant) throws(ControlError) {
        let consumer = try consumer(id)
        consumer.priority = max(1, min(255, priority))
        allocate(transport: try transport(consumer.transport), now: now)
    }

    /// Asks the producer of a consumer for a key frame (mediasoup `requestKeyFrame`).
    public func requestKeyFrame(_ id: ConsumerID, now: Instant) throws(ControlError) {
        requestKeyFrames(for: try consumer(id).producer, now: now)
    }

    /// Closes a consumer and releases what its retransmission buffer holds.
    public func closeConsumer(_ id: ConsumerID) throws(ControlError) {
        let consumer = try consumer(id)
        consumers[id.rawValue] = nil
        consumer.producer.consumers.removeAll { $0 === consumer }
        let transport = try transport(consumer.transport)
        transport.consumers.removeAll { $0 === consumer }
        transport.consumersBySSRC = transport.consumersBySSRC.filter { $0.value !== consumer }
        consumer.retransmission.clear(pool: pool)
    }

    /// Closes a producer and all its consumers.
    public func closeProducer(_ id: ProducerID) throws(ControlError) {
        let producer = try producer(id)
        for consumer in producer.consumers { try closeConsumer(consumer.id) }
        producers[id.rawValue] = nil
        producerList.removeAll { $0 === producer }
        for stream in producer.streams {
            guard let index = stream.timerIndex else { continue }
            streamsByTimerIndex[index] = nil
            streamTimerDeadlines[index] = nil
        }
        let transport = try transport(producer.transport)
        transport.producers.removeAll { $0 === producer }
        transport.incoming = transport.incoming.filter { $0.value.producer !== producer }
        for observer in observers.values { observer.remove(producer: id) }
        for observer in speakerObservers.values { observer.remove(producer: id) }
    }

    /// Layers a consumer currently forwards (nil before its first key frame).
    public func currentLayers(of id: ConsumerID) throws(ControlError) -> ConsumerLayers? {
        let consumer = try consumer(id)
        return consumer.currentSpatial.map { ConsumerLayers(spatialLayer: $0, temporalLayer: consumer.currentTemporal) }
    }

    /// The bitrate the allocator may spend on a transport's consumers.
    public func availableOutgoingBitrate(_ id: TransportID) throws(ControlError) -> Bitrate {
        try transport(id).availableOutgoingBitrate
    }

    /// Floor of the estimate when `webRtcTransport.minOutgoingBitrate` is unset: 30 kb/s.
    public static let defaultMinOutgoingBitrate: Bitrate = 30_000
    /// Ceiling of the estimate when `webRtcTransport.maxOutgoingBitrate` is unset: 100 Mb/s.
    public static let defaultMaxOutgoingBitrate: Bitrate = 100_000_000

    /// Packet slots in use by retransmission buffers (for tests and statistics).
    public var storedPacketCount: Int { pool.inUse }

    // MARK: Output

    /// The next datagram to send or event to report; nil when drained.
    public func poll() -> EngineOutput? {
        if let transmit = output.next() { return .transmit(transmit) }
        if eventReadIndex < events.count {
            let event = events[eventReadIndex]
            eventReadIndex += 1
            if eventReadIndex == events.count {
                events.removeAll(keepingCapacity: true)
                eventReadIndex = 0
            }
            return .event(event)
        }
        return nil
    }

    // MARK: Helpers

    func transport(_ id: TransportID) throws(ControlError) -> Transport {
        guard id.rawValue >= 0, id.rawValue < transports.count, !transports[id.rawValue].isClosed else {
            throw .unknownTransport(id)
        }
        return transports[id.rawValue]
    }

    func producer(_ id: ProducerID) throws(ControlError) -> Producer {
        guard let producer = producers[id.rawValue] else { throw .unknownProducer(id) }
        return producer
    }

    func consumer(_ id: ConsumerID) throws(ControlError) -> Consumer {
        guard let consumer = consumers[id.rawValue] else { throw .unknownConsumer(id) }
        return consumer
    }

    func newSSRC() -> UInt32 {
        while true {
            let ssrc = UInt32(truncatingIfNeeded: random.next())
            if ssrc != 0, usedSSRCs.insert(ssrc).inserted { return ssrc }
        }
    }

    func emit(_ event: EngineEvent) { events.append(event) }
}
