import RTP

/// The engine's forwarding hot path as a reusable workload: one VP8 publisher (a plain stream or
/// 3-layer simulcast) and N subscribers, each on its own transport, with no I/O.
///
/// Every packet is built once, in `init`, into one contiguous buffer; `run(packets:)` replays
/// them with advancing sequence numbers, RTP timestamps, transport-wide sequence numbers and
/// `Instant`s (patched in place, a few byte stores), feeds each to `handleDatagram`, drains
/// `poll()`, and calls `handleTimeout` whenever `nextDeadline()` is due — what a server's event
/// loop does. The loop itself allocates nothing, so whatever an allocation counter sees while it
/// runs comes from the engine.
///
/// Call `warmUp()` first: packet pool, output arena, retransmission buffers and dictionaries
/// only reach their steady-state size after a few thousand packets per consumer.
///
/// Shared by `sfulab bench forward`, the `Benchmarks/` package and the allocation tests.
public final class ForwardBenchmark {
    /// The shape of the workload.
    public struct Configuration: Sendable, Hashable {
        /// Subscribers, each with its own transport and consumer. Default 1. With 0 the packets
        /// go through the receive path alone (parse, statistics, NACK, rate meters, congestion
        /// control's receive side) and are copied nowhere: the fixed ingress cost per packet.
        public var consumers: Int
        /// Three simulcast encodings (spatial layers 0, 1, 2) instead of one stream. Default false.
        public var simulcast: Bool
        /// Packets per frame of each encoding, lowest layer first. Default [3] plain, [1, 2, 4] simulcast.
        public var packetsPerFrame: [Int]
        /// RTP payload bytes of each packet, VP8 descriptor included. Default 1,100.
        public var payloadBytes: Int
        /// Frames per second of every encoding, 1...120. Default 30.
        public var frameRate: Int
        /// A key frame every this many frames (all encodings at once). Default 60.
        public var keyFrameInterval: Int
        /// Seed of the engine's random choices (SSRCs, initial sequence numbers). Default 1.
        public var seed: UInt64
        /// Call `handleTimeout` whenever `nextDeadline()` is due (NACK timer, RTCP reports,
        /// bitrate allocation), as a server does. Default true; false measures the per-packet
        /// path alone.
        public var drivesTimers: Bool

        /// A workload with `consumers` subscribers; the other fields take their defaults.
        public init(consumers: Int = 1, simulcast: Bool = false, packetsPerFrame: [Int]? = nil,
                    payloadBytes: Int = 1_100, frameRate: Int = 30, keyFrameInterval: Int = 60, seed: UInt64 = 1,
                    drivesTimers: Bool = true) {
            self.consumers = consumers
            self.simulcast = simulcast
            self.packetsPerFrame = packetsPerFrame ?? (simulcast ? [1, 2, 4] : [3])
            self.payloadBytes = payloadBytes
            self.frameRate = frameRate
            self.keyFrameInterval = keyFrameInterval
            self.seed = seed
            self.drivesTimers = drivesTimers
        }
    }

    /// What one `run` did.
    public struct Totals: Sendable, Hashable {
        /// Media packets fed to the engine.
        public var packets = 0
        /// Rewritten copies the engine queued for consumers (`EngineCounters.packetsForwarded`).
        public var consumerCopies = 0
        /// Datagrams drained from `poll()` (copies plus RTCP the engine originated).
        public var transmits = 0
        /// Bytes of those datagrams.
        public var transmitBytes = 0
        /// Events drained from `poll()`.
        public var events = 0
        /// `handleTimeout` calls.
        public var timeouts = 0
        /// Allocations counted inside `handleTimeout` and the drain after it (only when `run` was
        /// given an allocation reader).
        public var timeoutAllocations = 0

        public init() {}
    }

    /// A packet of the ring: where it lies in `storage` and where to patch it.
    private struct RingEntry {
        var offset: Int
        var length: Int
        var layer: Int
        /// Frame index within one cycle of `keyFrameInterval` frames.
        var frame: Int
        /// Position among all packets of its frame, every layer counted (spaces them 50 µs apart).
        var positionInFrame: Int
        /// Sequence offset of this packet within its layer's cycle.
        var sequenceInCycle: Int
        /// Offset of the two-byte transport-wide sequence number in the packet.
        var transportSequenceOffset: Int
    }

    /// The workload's shape.
    public let configuration: Configuration
    /// The engine under test (exposed for counters and inspection).
    public let engine: Engine
    /// The publisher's endpoint and the engine endpoint it sends to.
    public let publisher: Endpoint
    public let ingress: Endpoint

    private let storage: UnsafeMutableRawBufferPointer
    private let ring: [RingEntry]
    private let packetsPerLayerCycle: [Int]
    private let initialSequences: [UInt16]
    private let frameNanoseconds: Int64
    private var cursor = 0
    private var deadline: Instant?

    /// Input packets in one cycle of `keyFrameInterval` frames (the ring replayed by `run`).
    public var packetsPerCycle: Int { ring.count }

    /// Consumer copies per input packet when every consumer receives the top layer (forwarding
    /// every temporal layer).
    public var expectedCopiesPerPacket: Double {
        let top = configuration.packetsPerFrame.last ?? 0
        let total = configuration.packetsPerFrame.reduce(0, +)
        return Double(configuration.consumers * top) / Double(max(1, total))
    }

    /// Builds the engine, its transports, producer and consumers, and every packet.
    public init(_ configuration: Configuration) throws(Engine.ControlError) {
        guard configuration.consumers >= 0 else { throw .invalidParameters("a forward benchmark needs 0 or more consumers") }
        let layerCount = configuration.simulcast ? configuration.packetsPerFrame.count : 1
        guard (1...4).contains(layerCount), configuration.packetsPerFrame.count == layerCount,
              configuration.packetsPerFrame.allSatisfy({ (1...32).contains($0) }) else {
            throw .invalidParameters("packetsPerFrame needs one entry in 1...32 per encoding (2...4 for simulcast)")
        }
        guard !configuration.simulcast || layerCount >= 2 else {
            throw .invalidParameters("simulcast needs at least 2 encodings in packetsPerFrame")
        }
        guard configuration.payloadBytes >= 16, configuration.payloadBytes <= 1_400 else {
            throw .invalidParameters("payloadBytes must be 16...1400")
        }
        // At most 4 x 32 packets 50 µs apart (6.4 ms) must fit in one frame interval.
        guard (1...120).contains(configuration.frameRate), configuration.keyFrameInterval >= 1 else {
            throw .invalidParameters("frameRate must be 1...120 and keyFrameInterval positive")
        }
        self.configuration = configuration
        var profile = Profile()
        // Enough room for every consumer to take the top layer: the benchmark measures forwarding,
        // not the allocator's decisions.
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        engine = Engine(profile: profile, seed: configuration.seed)
        publisher = Endpoint(10, 0, 0, 1, port: 5_000)
        let sendTransport = engine.createTransport(remote: publisher)
        ingress = sendTransport.local

        let ssrcs = (0..<layerCount).map { UInt32(0x5EED_0000 + $0) }
        let maxBitrates: [Bitrate] = [150_000, 500_000, 1_500_000, 3_000_000]
        let producer = try engine.produce(on: sendTransport.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101,
            encodings: ssrcs.indices.map { ProducerEncoding(ssrc: ssrcs[$0], maxBitrate: maxBitrates[min($0, 3)]) }))
        for index in 0..<configuration.consumers {
            let remote = Endpoint(address: 0x0A01_0000 + UInt32(index / 60_000), port: UInt16(1_024 + index % 60_000))
            let transport = engine.createTransport(remote: remote)
            _ = try engine.consume(on: transport.id, ConsumerOptions(producer: producer))
        }

        // Build one cycle of frames (a key frame, then keyFrameInterval - 1 delta frames) once.
        var packets: [[UInt8]] = []
        var entries: [RingEntry] = []
        var perLayer = [Int](repeating: 0, count: layerCount)
        var offset = 0
        for frame in 0..<configuration.keyFrameInterval {
            let isKey = frame == 0
            let tid: UInt8 = isKey ? 0 : Self.temporalLayer(ofFrame: frame)
            var positionInFrame = 0
            for layer in 0..<layerCount {
                let count = configuration.packetsPerFrame[layer]
                for index in 0..<count {
                    let descriptor = VP8PayloadDescriptor(
                        isNonReference: tid == 2, isStartOfPartition: index == 0, partitionIndex: 0,
                        pictureID: UInt16(frame) & 0x7FFF, pictureIDIs15Bit: true, tl0PictureIndex: UInt8(truncatingIfNeeded: frame),
                        temporalLayerID: tid, isLayerSync: tid > 0, keyIndex: nil)
                    var payload = descriptor.bytes
                    payload.append(index == 0 ? (isKey ? 0x10 : 0x11) : 0x00)
                    payload.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: frame), count: configuration.payloadBytes - payload.count))
                    let builder = RTPPacketBuilder(
                        marker: index == count - 1, payloadType: 101, sequenceNumber: SequenceNumber(0),
                        timestamp: 0, ssrc: ssrcs[layer],
                        extensions: [
                            RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.absSendTime, value: [0, 0, 0]),
                            RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.transportWideCC, value: [0, 0]),
                        ])
                    let packet: [UInt8]
                    do { packet = try builder.build(payload: payload) } catch {
                        throw .invalidParameters("cannot build a benchmark packet: \(error)")
                    }
                    let transportSequenceOffset = packet.withUnsafeBytes { bytes -> Int in
                        (try? RTPPacketView(parsing: bytes))?.extensionRange(id: RouterCapabilities.HeaderExtensionID.transportWideCC)?.lowerBound ?? -1
                    }
                    entries.append(RingEntry(offset: offset, length: packet.count, layer: layer, frame: frame,
                                             positionInFrame: positionInFrame, sequenceInCycle: perLayer[layer],
                                             transportSequenceOffset: transportSequenceOffset))
                    perLayer[layer] += 1
                    positionInFrame += 1
                    offset += (packet.count + 15) & ~15
                    packets.append(packet)
                }
            }
        }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: offset, alignment: 16)
        for (entry, packet) in zip(entries, packets) {
            packet.withUnsafeBytes { storage.baseAddress!.advanced(by: entry.offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        self.storage = storage
        ring = entries
        packetsPerLayerCycle = perLayer
        initialSequences = (0..<layerCount).map { UInt16(truncatingIfNeeded: 65_000 - 7_000 * $0) }
        frameNanoseconds = 1_000_000_000 / Int64(configuration.frameRate)
        if configuration.drivesTimers {
            // Start the engine's timers (reports, allocation) the way a server does on start-up.
            engine.handleTimeout(now: Self.origin)
            while engine.poll() != nil {}
            deadline = engine.nextDeadline()
        }
    }

    /// Virtual time of the first packet.
    private static let origin = Instant(nanoseconds: 1_000_000_000)

    deinit { storage.deallocate() }

    /// L1T3 temporal pattern 0, 2, 1, 2 by frame index.
    static func temporalLayer(ofFrame index: Int) -> UInt8 {
        switch index % 4 {
        case 0: 0
        case 2: 1
        default: 2
        }
    }

    /// Input packets a warm-up should feed so that everything that grows to a steady size has
    /// done so: every consumer's retransmission buffer has wrapped twice (packet pool, output
    /// arena) and every stream's NACK generator has seen `maxPacketAge` sequence numbers (its
    /// key-frame list stops growing).
    public var warmUpPackets: Int {
        let feedback = engine.profile.feedback
        let top = max(1, packetsPerLayerCycle.last ?? 1)
        let lowest = max(1, packetsPerLayerCycle.min() ?? 1)
        let retransmissionCycles = (2 * feedback.retransmission.maxItems + top - 1) / top
        let nackCycles = (feedback.nack.maxPacketAge + lowest - 1) / lowest
        return (max(retransmissionCycles, nackCycles) + 2) * ring.count
    }

    /// Feeds `warmUpPackets` (or `packets`) packets and discards the totals.
    public func warmUp(packets: Int? = nil) {
        _ = run(packets: packets ?? warmUpPackets)
    }

    /// Feeds the next `packets` packets, draining all output after every input call.
    ///
    /// `allocationReader`, when given, must return a running allocation count (for example the
    /// CAllocationCounter of the calling thread); it is read around every `handleTimeout` so that
    /// timer work can be told apart from per-packet forwarding.
    public func run(packets: Int, allocationReader: (() -> UInt64)? = nil) -> Totals {
        var totals = Totals()
        let forwardedBefore = engine.counters.packetsForwarded
        let base = storage.baseAddress!
        for _ in 0..<packets {
            let cycle = cursor / ring.count
            let entry = ring[cursor % ring.count]
            let frameNumber = cycle * configuration.keyFrameInterval + entry.frame
            let now = Instant(nanoseconds: Self.origin.nanoseconds + Int64(frameNumber) * frameNanoseconds
                + Int64(entry.positionInFrame) * 50_000)

            if let due = deadline, due <= now {
                let before = allocationReader?() ?? 0
                engine.handleTimeout(now: now)
                drain(into: &totals)
                if let allocationReader { totals.timeoutAllocations += Int(allocationReader() &- before) }
                totals.timeouts += 1
            }

            let packet = base.advanced(by: entry.offset)
            let sequence = initialSequences[entry.layer] &+ UInt16(truncatingIfNeeded: cycle * packetsPerLayerCycle[entry.layer] + entry.sequenceInCycle)
            let timestamp = UInt32(truncatingIfNeeded: 3_000_000 &+ frameNumber &* (90_000 / configuration.frameRate))
            packet.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            packet.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
            if entry.transportSequenceOffset >= 0 {
                packet.storeBytes(of: UInt16(truncatingIfNeeded: cursor).bigEndian, toByteOffset: entry.transportSequenceOffset, as: UInt16.self)
            }
            engine.handleDatagram(from: publisher, to: ingress,
                                  bytes: UnsafeRawBufferPointer(start: packet, count: entry.length), now: now)
            drain(into: &totals)
            if configuration.drivesTimers { deadline = engine.nextDeadline() }
            totals.packets += 1
            cursor += 1
        }
        totals.consumerCopies = engine.counters.packetsForwarded - forwardedBefore
        return totals
    }

    private func drain(into totals: inout Totals) {
        while let output = engine.poll() {
            switch output {
            case .transmit(let transmit):
                totals.transmits += 1
                totals.transmitBytes += transmit.bytes.count
            case .event:
                totals.events += 1
            }
        }
    }
}
