import RTP

/// One outgoing copy of a producer for one subscriber (mediasoup `SimpleConsumer` and
/// `SimulcastConsumer`): decides per packet whether to forward it, rewrites it into one
/// continuous stream, keeps it for retransmission, and tracks what the subscriber reports.
final class Consumer {
    /// What to do with one incoming packet.
    enum Decision: Equatable {
        /// Not for this consumer; `skipSequence` when the packet belongs to the forwarded stream
        /// (so the output sequence stays continuous).
        case drop(skipSequence: Bool)
        /// Forward; `resync` starts a new output run (new source stream or first packet).
        case forward(resync: Bool)
    }

    let id: ConsumerID
    let transport: TransportID
    unowned let producer: Producer
    let parameters: ConsumerParameters
    var paused: Bool
    var preferredLayers: ConsumerLayers
    var priority: Int
    var sequence: SequenceRewriter
    var timestamp: TimestampRewriter
    var retransmission: RetransmissionBuffer
    var rtxSequence: UInt16

    /// Spatial layer (producer stream index) being forwarded, nil before the first key frame.
    private(set) var currentSpatial: Int?
    private(set) var currentTemporal = 0
    /// Layers the allocator permits (nil: nothing fits; the consumer forwards no video).
    var allowedLayers: ConsumerLayers?
    /// When the allocator last moved this consumer down (upgrades wait `upgradeHold` after it).
    var lastDowngradeAt: Instant?
    private var waitingForKeyFrame: Bool
    private var lastReportedLayers: ConsumerLayers??

    /// Output numbers that later packets of the current run skipped over (lost upstream so far),
    /// oldest first, at most `unsentLimit`.
    private var unsentOutputs: [UInt16] = []
    private var highestSentOutput: UInt16?
    static let unsentLimit = 64

    // Statistics for sender reports and scores.
    var packetsSent: Int64 = 0
    var bytesSent: Int64 = 0
    var lastOutputTimestamp: UInt32 = 0
    var lastOutputAt: Instant?
    var rtt: Duration
    var lastFractionLost: UInt8 = 0
    var score = 10
    var retransmissionsSent = 0

    init(id: ConsumerID, transport: TransportID, producer: Producer, parameters: ConsumerParameters,
         options: ConsumerOptions, profile: Profile, initialSequence: UInt16, initialRTXSequence: UInt16) {
        self.id = id
        self.transport = transport
        self.producer = producer
        self.parameters = parameters
        paused = options.paused
        let highest = ConsumerLayers(spatialLayer: producer.streams.count - 1, temporalLayer: 2)
        let preferred = options.preferredLayers ?? profile.consumer.preferredLayers ?? highest
        preferredLayers = ConsumerLayers(spatialLayer: min(preferred.spatialLayer, highest.spatialLayer),
                                         temporalLayer: min(preferred.temporalLayer ?? 2, 2))
        priority = max(1, min(255, options.priority ?? profile.consumer.priority))
        sequence = SequenceRewriter(initialOutput: initialSequence)
        timestamp = TimestampRewriter(clockRate: parameters.clockRate)
        let maxDelay = producer.isVideo ? profile.feedback.retransmission.maxVideoDelay : profile.feedback.retransmission.maxAudioDelay
        retransmission = RetransmissionBuffer(capacity: profile.feedback.retransmission.maxItems,
                                              maxAge: .milliseconds(maxDelay))
        rtxSequence = initialRTXSequence
        rtt = .milliseconds(profile.feedback.nack.defaultRtt)
        waitingForKeyFrame = producer.isVideo
        unsentOutputs.reserveCapacity(Self.unsentLimit + 64)
        // Simulcast consumers get their layers from the allocator (which runs when they are
        // created); starting from nothing makes the first allocation an upgrade, with headroom.
        allowedLayers = producer.isSimulcast ? nil : preferredLayers
    }

    /// Forwarding is on: neither the consumer nor its producer is paused.
    var isActive: Bool { !paused && !producer.paused }

    /// The layers the consumer aims for: its preference, capped by the allocation.
    var targetLayers: ConsumerLayers? {
        guard let allowed = allowedLayers else { return nil }
        let spatial = min(preferredLayers.spatialLayer, allowed.spatialLayer)
        let temporal = spatial < preferredLayers.spatialLayer
            ? (allowed.temporalLayer ?? 2)
            : min(preferredLayers.temporalLayer ?? 2, allowed.temporalLayer ?? 2)
        return ConsumerLayers(spatialLayer: spatial, temporalLayer: temporal)
    }

    /// The stream whose key frame the consumer waits for, if it waits for one.
    var keyFrameWantedFromStream: Int? {
        guard isActive, producer.isVideo, let target = targetLayers else { return nil }
        if waitingForKeyFrame || currentSpatial != target.spatialLayer { return target.spatialLayer }
        return nil
    }

    /// Pausing or a new producer source: the next forwarded packet must start a new run, and
    /// video must start at a key frame.
    func restart() {
        waitingForKeyFrame = producer.isVideo
        currentSpatial = nil
        sequence.resync()
        timestamp.resync()
    }

    /// Decides what to do with a packet of producer stream `streamIndex`.
    func decide(streamIndex: Int, info: MediaFrameInfo) -> Decision {
        guard isActive else { return .drop(skipSequence: false) }
        guard producer.isVideo else { return .forward(resync: false) }
        guard let target = targetLayers else {
            // The allocator gave this consumer nothing: stop, and start a new run (at a key frame)
            // when it gets a layer again, so the subscriber never sees a hole it would NACK.
            if currentSpatial != nil { restart() }
            return .drop(skipSequence: false)
        }
        var resync = false
        if streamIndex != currentSpatial {
            // Switch streams only at a key frame of the target stream.
            guard streamIndex == target.spatialLayer, info.isKeyFrame else { return .drop(skipSequence: false) }
            currentSpatial = streamIndex
            currentTemporal = target.temporalLayer ?? 2
            waitingForKeyFrame = false
            sequence.resync()
            timestamp.resync()
            resync = true
        } else if waitingForKeyFrame {
            guard info.isKeyFrame else { return .drop(skipSequence: false) }
            waitingForKeyFrame = false
            sequence.resync()
            timestamp.resync()
            resync = true
        }
        // Temporal layers: switch at frame starts; up only at a key frame or layer sync. While
        // waiting for a key frame of another spatial layer, keep every temporal layer of the
        // current stream when moving up (the allocation covers it whole) and shed down to the
        // base one when moving down; the target's temporal layer applies to its own stream.
        var targetTemporal = target.temporalLayer ?? 2
        if let current = currentSpatial, current != target.spatialLayer {
            targetTemporal = target.spatialLayer > current ? max(currentTemporal, targetTemporal) : 0
        }
        if info.isFrameStart {
            if targetTemporal < currentTemporal {
                currentTemporal = targetTemporal
            } else if targetTemporal > currentTemporal, info.temporalLayer > currentTemporal,
                      info.temporalLayer <= targetTemporal, info.isKeyFrame || info.isLayerSync {
                currentTemporal = info.temporalLayer
            }
        }
        if info.temporalLayer > currentTemporal { return .drop(skipSequence: true) }
        return .forward(resync: resync)
    }

    /// The layers actually forwarded, reported as an event when they change.
    func takeLayerChange() -> ConsumerLayers?? {
        guard producer.isVideo else { return nil }
        let layers = currentSpatial.map { ConsumerLayers(spatialLayer: $0, temporalLayer: currentTemporal) }
        if let last = lastReportedLayers, last == layers { return nil }
        lastReportedLayers = .some(layers)
        return .some(layers)
    }

    /// Notes that `output` went out: numbers it jumped over are unsent; a late one fills its gap.
    func recordSent(_ output: UInt16) {
        guard let highest = highestSentOutput else {
            highestSentOutput = output
            return
        }
        let step = SequenceNumber(highest).distance(to: SequenceNumber(output))
        if step > 0 {
            for gap in 1..<min(step, Self.unsentLimit + 1) { unsentOutputs.append(highest &+ UInt16(gap)) }
            if unsentOutputs.count > Self.unsentLimit { unsentOutputs.removeFirst(unsentOutputs.count - Self.unsentLimit) }
            highestSentOutput = output
        } else if let index = unsentOutputs.firstIndex(of: output) {
            unsentOutputs.remove(at: index)
        }
    }

    /// The unsent numbers of the run that is ending (cleared).
    func takeUnsentOutputs() -> [UInt16] {
        defer { unsentOutputs.removeAll(keepingCapacity: true) }
        return unsentOutputs
    }

    /// Records a receiver report block about this consumer's stream.
    func receiverReport(fractionLost: UInt8, rtt measured: Duration?) {
        lastFractionLost = fractionLost
        if let measured, measured > .zero { rtt = measured }
        // mediasoup-style score: 10 with no loss, dropping with the fraction lost.
        let lossRate = Double(fractionLost) / 256
        score = max(0, min(10, Int((10 * (1 - lossRate * 5)).rounded())))
    }
}
