import RTP

/// One outgoing copy of a producer for one subscriber (mediasoup `SimpleConsumer`,
/// `SimulcastConsumer` and `SvcConsumer`): decides per packet whether to forward it, rewrites it
/// into one continuous stream, keeps it for retransmission, and tracks what the subscriber reports.
/// SVC forwarding (VP9, one stream carrying every layer) is described in docs/svc.md.
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
    /// Unowned without reference counting (read for every packet of every consumer): the
    /// engine closes a producer's consumers before it drops the producer, and holds no closed
    /// consumer, so no reachable consumer outlives its producer.
    unowned(unsafe) let producer: Producer
    let parameters: ConsumerParameters
    var paused: Bool
    var preferredLayers: ConsumerLayers { didSet { targetLayers = Self.target(preferred: preferredLayers, allowed: allowedLayers) } }
    var priority: Int
    var sequence: SequenceRewriter
    /// VP8 picture id (15 bits) and TL0PICIDX (8 bits), kept continuous like the sequence
    /// numbers (mediasoup's VP8 encoding context), so a receiver's reference finding sees one
    /// stream across layer switches and dropped temporal layers.
    private(set) var pictureIDs = SequenceRewriter(initialOutput: 0, bits: 15)
    private(set) var tl0Indices = SequenceRewriter(initialOutput: 0, bits: 8)
    /// The inputs and answer of the last `vp8Rewrite` (nil after anything else changed either
    /// rewriter): every packet of a frame carries the same picture id and TL0PICIDX, and mapping
    /// a value again with nothing in between gives the same answer and changes nothing
    /// (`SequenceRewriterModelTests` check that), so only a frame's first packet maps them.
    private var lastVP8Rewrite: (pictureID: UInt16, tl0PictureIndex: UInt8?, rewrite: PayloadRewrite)?
    var timestamp: TimestampRewriter
    var retransmission: RetransmissionBuffer
    var rtxSequence: UInt16

    /// Spatial layer being forwarded (simulcast: producer stream index; SVC: highest spatial
    /// layer id), nil before the first key frame.
    private(set) var currentSpatial: Int? { didSet { layersMayHaveChanged = true } }
    private(set) var currentTemporal = 0 { didSet { layersMayHaveChanged = true } }
    /// Set whenever the forwarded layers are assigned, cleared by `takeLayerChange`: most
    /// packets change nothing, and then there is nothing to compare.
    private var layersMayHaveChanged = true
    /// Layers the allocator permits (nil: nothing fits; the consumer forwards no video).
    var allowedLayers: ConsumerLayers? { didSet { targetLayers = Self.target(preferred: preferredLayers, allowed: allowedLayers) } }
    /// The layers the consumer aims for: its preference, capped by the allocation (kept up to
    /// date by both properties' observers; read for every packet).
    private(set) var targetLayers: ConsumerLayers?
    /// When the allocator last moved this consumer down (upgrades wait `upgradeHold` after it).
    var lastDowngradeAt: Instant?
    private var waitingForKeyFrame: Bool
    /// The RTP marker to write on the packet `decide` just forwarded (SVC: set on the end of the
    /// highest forwarded spatial layer of a picture); nil keeps the publisher's marker.
    private(set) var forwardMarker: Bool?
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
    /// The subscriber-side score (0...10) from the loss its receiver reports carry.
    var score = StreamScore()
    var retransmissionsSent = 0

    init(id: ConsumerID, transport: TransportID, producer: Producer, parameters: ConsumerParameters,
         options: ConsumerOptions, profile: Profile, initialSequence: UInt16, initialRTXSequence: UInt16) {
        self.id = id
        self.transport = transport
        self.producer = producer
        self.parameters = parameters
        paused = options.paused
        let highest = ConsumerLayers(spatialLayer: producer.spatialLayerCount - 1, temporalLayer: producer.highestTemporalLayer)
        let preferred = options.preferredLayers ?? profile.consumer.preferredLayers ?? highest
        preferredLayers = ConsumerLayers(spatialLayer: max(0, min(preferred.spatialLayer, highest.spatialLayer)),
                                         temporalLayer: max(0, min(preferred.temporalLayer ?? 2, producer.highestTemporalLayer)))
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
        // Simulcast and SVC consumers get their layers from the allocator (which runs when they
        // are created); starting from nothing makes the first allocation an upgrade, with headroom.
        allowedLayers = producer.isLayered ? nil : preferredLayers
        targetLayers = Self.target(preferred: preferredLayers, allowed: allowedLayers)
    }

    /// Forwarding is on: neither the consumer nor its producer is paused.
    var isActive: Bool { !paused && !producer.paused }

    /// The layers a consumer preferring `preferred` aims for under the allocation `allowed`.
    private static func target(preferred: ConsumerLayers, allowed: ConsumerLayers?) -> ConsumerLayers? {
        guard let allowed else { return nil }
        let spatial = min(preferred.spatialLayer, allowed.spatialLayer)
        let temporal = spatial < preferred.spatialLayer
            ? (allowed.temporalLayer ?? 2)
            : min(preferred.temporalLayer ?? 2, allowed.temporalLayer ?? 2)
        return ConsumerLayers(spatialLayer: spatial, temporalLayer: temporal)
    }

    /// The stream whose key frame the consumer waits for, if it waits for one.
    var keyFrameWantedFromStream: Int? {
        guard isActive, producer.isVideo, let target = targetLayers else { return nil }
        if producer.isSVC {
            // One stream: a key frame starts the run and is the only spatial up-switch point.
            let needsKeyFrame = waitingForKeyFrame || currentSpatial.map { target.spatialLayer > $0 } ?? true
            return needsKeyFrame ? 0 : nil
        }
        if waitingForKeyFrame || currentSpatial != target.spatialLayer { return target.spatialLayer }
        return nil
    }

    /// Pausing or a new producer source: the next forwarded packet must start a new run, and
    /// video must start at a key frame.
    func restart() {
        waitingForKeyFrame = producer.isVideo
        currentSpatial = nil
        startNewRun()
    }

    /// Decides what to do with a packet of producer stream `streamIndex`.
    func decide(streamIndex: Int, info: MediaFrameInfo) -> Decision {
        forwardMarker = nil
        guard isActive else { return .drop(skipSequence: false) }
        guard producer.isVideo else { return .forward(resync: false) }
        guard let target = targetLayers else {
            // The allocator gave this consumer nothing: stop, and start a new run (at a key frame)
            // when it gets a layer again, so the subscriber never sees a hole it would NACK.
            if currentSpatial != nil { restart() }
            return .drop(skipSequence: false)
        }
        if producer.isSVC { return decideSVC(info: info, target: target) }
        var resync = false
        if streamIndex != currentSpatial {
            // Switch streams only at a key frame of the target stream.
            guard streamIndex == target.spatialLayer, info.isKeyFrame else { return .drop(skipSequence: false) }
            currentSpatial = streamIndex
            currentTemporal = target.temporalLayer ?? 2
            waitingForKeyFrame = false
            startNewRun()
            resync = true
        } else if waitingForKeyFrame {
            guard info.isKeyFrame else { return .drop(skipSequence: false) }
            waitingForKeyFrame = false
            startNewRun()
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

    /// SVC (mediasoup `SvcConsumer` with its VP9 encoding context): forwards packets with
    /// SID ≤ current spatial and TID ≤ current temporal layer. The spatial layer goes up only at
    /// a key frame (requested through `keyFrameWantedFromStream`) and down at the start of a
    /// picture; the temporal layer goes up at a switching-up point (U) and down at the start of a
    /// picture. Dropped packets of the stream are skipped in the output numbering.
    private func decideSVC(info: MediaFrameInfo, target: ConsumerLayers) -> Decision {
        var targetTemporal = target.temporalLayer ?? producer.highestTemporalLayer
        var resync = false
        if waitingForKeyFrame || currentSpatial == nil {
            guard info.isKeyFrame else { return .drop(skipSequence: false) }
            waitingForKeyFrame = false
            currentSpatial = target.spatialLayer
            currentTemporal = targetTemporal
            startNewRun()
            resync = true
        } else if info.isPictureStart, let current = currentSpatial {
            if target.spatialLayer > current, info.isKeyFrame {
                // A key picture carries every spatial layer: switch up, at any temporal layer.
                currentSpatial = target.spatialLayer
                currentTemporal = targetTemporal
            } else if target.spatialLayer < current {
                currentSpatial = target.spatialLayer
            } else if target.spatialLayer > current {
                // Waiting for the key frame: keep the temporal layers the allocation covers.
                targetTemporal = max(currentTemporal, targetTemporal)
            }
            if targetTemporal < currentTemporal {
                currentTemporal = targetTemporal
            } else if targetTemporal > currentTemporal, info.temporalLayer > currentTemporal,
                      info.temporalLayer <= targetTemporal, info.isKeyFrame || info.isLayerSync {
                currentTemporal = info.temporalLayer
            }
        }
        guard let current = currentSpatial else { return .drop(skipSequence: false) }
        if info.spatialLayer > current || info.temporalLayer > currentTemporal { return .drop(skipSequence: true) }
        // The picture ends, for this subscriber, with the highest spatial layer it receives.
        forwardMarker = info.isEndOfLayerFrame && info.spatialLayer == current
        return .forward(resync: resync)
    }

    /// The layers actually forwarded, reported as an event when they change.
    func takeLayerChange() -> ConsumerLayers?? {
        guard layersMayHaveChanged else { return nil }
        layersMayHaveChanged = false
        guard producer.isVideo else { return nil }
        let layers = currentSpatial.map { ConsumerLayers(spatialLayer: $0, temporalLayer: currentTemporal) }
        if let last = lastReportedLayers, last == layers { return nil }
        lastReportedLayers = .some(layers)
        return .some(layers)
    }

    /// The next forwarded packet starts a new run of every rewritten counter.
    func startNewRun() {
        sequence.resync()
        timestamp.resync()
        pictureIDs.resync()
        tl0Indices.resync()
        lastVP8Rewrite = nil
    }

    /// The VP8 rewrite of a forwarded packet with `pictureID` and `tl0PictureIndex`: the
    /// continuous picture id and TL0PICIDX (nothing when the picture id belongs before the
    /// current run).
    func vp8Rewrite(pictureID: UInt16, tl0PictureIndex: UInt8?) -> PayloadRewrite {
        if let last = lastVP8Rewrite, last.pictureID == pictureID, last.tl0PictureIndex == tl0PictureIndex {
            return last.rewrite
        }
        var rewrite = PayloadRewrite.none
        if let output = pictureIDs.map(pictureID) {
            let tl0 = tl0PictureIndex.flatMap { tl0Indices.map(UInt16($0)) }.map { UInt8(truncatingIfNeeded: $0) }
            rewrite = .vp8(pictureID: output, tl0PictureIndex: tl0)
        }
        lastVP8Rewrite = (pictureID, tl0PictureIndex, rewrite)
        return rewrite
    }

    /// The consumer drops the frame with `pictureID` on purpose: later picture ids move down by one.
    func skipPictureID(_ pictureID: UInt16) {
        pictureIDs.skip(pictureID)
        lastVP8Rewrite = nil
    }

    /// Notes that `output` went out: numbers it jumped over are unsent; a late one fills its gap.
    /// (Inlined: called for every forwarded copy, and the common case, the number after the
    /// highest, jumps over nothing and fills nothing.)
    @inline(__always)
    func recordSent(_ output: UInt16) {
        if let highest = highestSentOutput, output == highest &+ 1 {
            highestSentOutput = output
            return
        }
        recordSentOutOfOrder(output)
    }

    /// `recordSent` for the first number, a jump, or a late number.
    private func recordSentOutOfOrder(_ output: UInt16) {
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
        // mediasoup `RtpStreamSend` score: round(10 × delivered⁴) per report, averaged.
        score.record(StreamScore.sample(deliveredRatio: 1 - Double(fractionLost) / 256))
    }
}
