import RTP

/// One incoming media source (mediasoup `Producer`): one stream per encoding, each with receive
/// statistics, a NACK generator, a key-frame request manager and per-layer rate meters (per
/// temporal layer; per spatial and temporal layer for an SVC stream).
final class Producer {
    /// One encoding's incoming stream (mediasoup `RtpStreamRecv`).
    final class Stream {
        let index: Int
        var ssrc: UInt32?
        let rid: String?
        var rtxSSRC: UInt32?
        let declaredBitrate: Bitrate?
        /// The scalability mode the encoding was declared with, if any.
        let declaredScalabilityMode: String?
        var statistics: ReceiveStatistics
        var nack: NackGenerator {
            didSet {
                // Most packets leave the NACK deadline (all the timer table reads) as it was.
                guard nack.nextDeadline() != reportedNackDeadline else { return }
                reportedNackDeadline = nack.nextDeadline()
                timersChanged()
            }
        }
        /// The NACK deadline when it last changed.
        private var reportedNackDeadline: Instant?
        var keyFrames: KeyFrameRequestManager { didSet { timersChanged() } }
        /// This stream's slot in the engine's table of stream timers, and the engine's list of
        /// slots to recompute: every change to `nack` or `keyFrames` reports itself there.
        private(set) var timerIndex: Int?
        private var staleTimers: StaleList?
        private var timersAreStale = false
        /// Rate of each layer of this stream, layer `spatial * temporalSlots + temporal` (one
        /// spatial layer unless the stream is SVC).
        private let temporalRates: LayerRateMeters
        /// Each meter's rate at the instant `cachedRatesAt` (nanoseconds; nil: none cached). Bitrate
        /// allocation reads the same layers many times at one instant (every consumer of every
        /// transport, once for what it wants and once per layer step), and nothing is metered in
        /// between; `meter`, the only writer of `temporalRates`, forgets the cache.
        private var cachedRates: [Bitrate]
        private var cachedRatesAt: Int64?
        /// Spatial layers metered separately (the SVC spatial layer count, else 1).
        let spatialLayerCount: Int
        /// Meters per spatial layer (temporal ids 0...3).
        static let temporalSlots = 4
        var maxTemporalLayerSeen = 0
        var lastPacketAt: Instant?
        /// When the last original (not RTX) packet arrived: what activity is judged by.
        var lastOriginalPacketAt: Instant?
        /// Whether the encoding is arriving: set by its first original packet, cleared once
        /// nothing came for `inactivityInterval` (mediasoup `RtpStreamRecv` inactivity), or for
        /// `pausedLayerInterval` while the simulcast stream below still arrives. Only receiving
        /// streams can be selected by consumers or asked for key frames.
        private(set) var isReceiving = false
        /// When the stream resumed after it had gone inactive (nil before any pause).
        private(set) var resumedAt: Instant?
        private var hasGoneInactive = false
        /// Quality of what arrives (0...10): 0 while not receiving, else from the loss reported
        /// in each receiver-report interval.
        var score = StreamScore(initial: 0)
        /// When the stream started sending again after a pause of a second or more.
        var startedAt: Instant?
        var firSequence: UInt8 = 0
        /// Round-trip time to the publisher, from its DLRR answers to the engine's RRTR blocks
        /// (RFC 3611 §4.5); nil until the first answer. It spaces NACK re-requests.
        private(set) var roundTrip: Duration?

        /// Takes a new round-trip measurement: the NACK generator re-requests a packet only
        /// once this long after its last request (mediasoup `NackGenerator::UpdateRtt`).
        func roundTripMeasured(_ value: Duration) {
            roundTrip = value
            nack.updateRTT(value)
        }

        /// Forgets what was received from the previous source (sequence space, statistics,
        /// pending NACKs, pending key-frame requests); rates and layer history are kept.
        func restartReception(settings: FeedbackSettings) {
            statistics = ReceiveStatistics(clockRate: statistics.clockRate)
            nack = NackGenerator(settings: settings.nack)
            // Same publisher, same path: the measured round trip stays valid.
            if let roundTrip { nack.updateRTT(roundTrip) }
            keyFrames = KeyFrameRequestManager(delay: keyFrames.delay, retransmissionWait: keyFrames.retransmissionWait)
        }

        init(index: Int, encoding: ProducerEncoding, clockRate: Int, settings: FeedbackSettings, keyFrameDelay: Duration,
             spatialLayerCount: Int = 1) {
            self.index = index
            ssrc = encoding.ssrc
            rid = encoding.rid
            rtxSSRC = encoding.rtxSSRC
            declaredBitrate = encoding.maxBitrate
            declaredScalabilityMode = encoding.scalabilityMode
            statistics = ReceiveStatistics(clockRate: clockRate)
            nack = NackGenerator(settings: settings.nack)
            keyFrames = KeyFrameRequestManager(delay: keyFrameDelay,
                                               retransmissionWait: .milliseconds(settings.keyFrame.retransmissionWait))
            self.spatialLayerCount = max(1, spatialLayerCount)
            temporalRates = LayerRateMeters(layers: self.spatialLayerCount * Self.temporalSlots)
            cachedRates = Array(repeating: .zero, count: self.spatialLayerCount * Self.temporalSlots)
        }

        /// Starts reporting timer changes to `staleList` under `index` (the stream is stale at once).
        func watchTimers(index: Int, staleList: StaleList) {
            timerIndex = index
            staleTimers = staleList
            timersAreStale = false
            timersChanged()
        }

        private func timersChanged() {
            guard !timersAreStale, let index = timerIndex, let staleTimers else { return }
            timersAreStale = true
            staleTimers.add(index)
        }

        /// The earliest NACK or key-frame timer of this stream; clears the stale mark.
        func refreshedTimerDeadline() -> Instant? {
            timersAreStale = false
            let nackDue = nack.nextDeadline()
            guard let keyFrameDue = keyFrames.nextDeadline() else { return nackDue }
            return nackDue.map { min($0, keyFrameDue) } ?? keyFrameDue
        }

        /// Counts a received packet of layer (`spatial`, `temporal`) in its rate meter.
        func meter(bytes: Int, spatial: Int, temporal: Int, now: Instant) {
            let t = min(temporal, Self.temporalSlots - 1)
            let s = min(spatial, spatialLayerCount - 1)
            temporalRates.add(bytes: bytes, layer: s * Self.temporalSlots + t, now: now)
            cachedRatesAt = nil
            maxTemporalLayerSeen = max(maxTemporalLayerSeen, t)
        }

        /// Bitrate of temporal layers 0...`temporal` of this stream at `now`; the declared
        /// maximum (split as libwebrtc does) until something was measured, and at least that
        /// while the measurement window (1 s) is not yet full since the stream (re)started, so a
        /// layer a publisher just switched on does not look cheap.
        func bitrate(upToTemporal temporal: Int, now: Instant) -> Bitrate {
            bitrate(upToSpatial: spatialLayerCount - 1, upToTemporal: temporal, now: now)
        }

        /// Bitrate of spatial layers 0...`spatial`, each with temporal layers 0...`temporal` (SVC:
        /// a spatial layer needs the ones below it). Declared maximum split as for temporal layers
        /// and, across spatial layers, in proportion to pixels (each layer 4× the one below).
        func bitrate(upToSpatial spatial: Int, upToTemporal temporal: Int, now: Instant) -> Bitrate {
            if cachedRatesAt != now.nanoseconds {
                for index in 0..<temporalRates.layerCount { cachedRates[index] = temporalRates.rate(layer: index, now: now) }
                cachedRatesAt = now.nanoseconds
            }
            var total = Bitrate.zero
            let spatial = max(0, min(spatial, spatialLayerCount - 1))
            for s in 0...spatial {
                for t in 0...max(0, min(temporal, Self.temporalSlots - 1)) {
                    total += cachedRates[s * Self.temporalSlots + t]
                }
            }
            if let declared = declaredBitrate {
                // libwebrtc's default three-layer split: TL0 40 %, TL1 20 %, TL2 40 %.
                let cumulative = Self.cumulativeTemporalShare
                var spatialShare = 1.0
                if spatialLayerCount > 1 {
                    var below = 0.0, all = 0.0, weight = 1.0
                    for s in 0..<spatialLayerCount {
                        all += weight
                        if s <= spatial { below += weight }
                        weight *= 4
                    }
                    spatialShare = below / all
                }
                let split = declared * (cumulative[min(temporal, cumulative.count - 1)] * spatialShare)
                if total == .zero { return split }
                if let started = startedAt, now - started < .seconds(1) { return max(total, split) }
            }
            return total
        }

        /// Cumulative share of temporal layers 0, 0-1 and 0-2 in a declared bitrate.
        static let cumulativeTemporalShare = [0.4, 0.6, 1.0]

        /// A stream without packets for this long is inactive (mediasoup's `RtpStreamRecv`
        /// `InactivityCheckInterval`, 1500 ms): a publisher paused the encoding (e.g. libwebrtc
        /// stopping a simulcast layer its uplink estimate cannot carry) or its path broke.
        static let inactivityInterval = Duration.milliseconds(1_500)

        /// A simulcast stream that resumed less than this ago is not chosen above a lower one
        /// (mediasoup `SimulcastConsumer` `StreamMinActiveMs`, 2000 ms): a publisher that just
        /// resumed an encoding on a marginal uplink may pause it again at once. Unlike mediasoup,
        /// a stream's first start is exempt: at start-up every encoding begins with a key frame.
        static let minimumReceivingTime = Duration.milliseconds(2_000)

        /// Whether the stream is arriving and, if it resumed after a pause, has been for
        /// `minimumReceivingTime` at `now`.
        func hasBeenReceivingLongEnough(now: Instant) -> Bool {
            guard isReceiving else { return false }
            guard let resumedAt else { return true }
            return now - resumedAt >= Self.minimumReceivingTime
        }

        /// Marks the stream receiving at `now` (first packet, or first after a pause); returns
        /// whether that is a change. The score restarts at 10, as mediasoup's does.
        func markReceiving(now: Instant) -> Bool {
            guard !isReceiving else { return false }
            isReceiving = true
            if hasGoneInactive { resumedAt = now }
            score.reset(to: 10)
            return true
        }

        /// Marks the stream inactive when nothing arrived for `inactivityInterval` up to `now`,
        /// or for `pausedLayerInterval` while the stream below (`lowerLastPacketAt`: its last
        /// original packet, nil unless it is arriving) still arrives; returns whether that is a
        /// change. The score drops to 0 and pending key-frame requests
        /// are dropped (the publisher will not answer them while the encoding is paused).
        func checkInactivity(now: Instant, lowerLastPacketAt: Instant? = nil) -> Bool {
            guard isReceiving, let last = lastOriginalPacketAt else { return false }
            // Silent for `pausedLayerInterval` while the stream below still arrives (a packet
            // within the last half of that interval).
            let overtaken = now - last >= Self.pausedLayerInterval
                && lowerLastPacketAt.map { $0 > last && now - $0 < Self.pausedLayerInterval / 2 } ?? false
            guard overtaken || now - last >= Self.inactivityInterval else { return false }
            isReceiving = false
            hasGoneInactive = true
            score.reset(to: 0)
            keyFrames.cancel()
            return true
        }

        /// When the stream becomes inactive if nothing more arrives (nil when not receiving).
        var inactiveAt: Instant? {
            guard isReceiving, let last = lastOriginalPacketAt else { return nil }
            return last + Self.inactivityInterval
        }

        /// A simulcast stream that sent nothing for this long while the stream below it kept
        /// arriving is inactive without waiting for `inactivityInterval`: its publisher paused it
        /// (sfulab's addition; mediasoup waits the full interval). Simulcast encodings of one
        /// source share its frames, so an upper one silent for 15 frames at 30 fps while the
        /// lower one goes on was switched off; a false alarm costs its consumers a move down and
        /// `minimumReceivingTime` before they go back up.
        static let pausedLayerInterval = Duration.milliseconds(500)

        /// When an upper simulcast stream would be seen paused if the one below keeps arriving.
        var pausedAt: Instant? {
            guard isReceiving, let last = lastOriginalPacketAt else { return nil }
            return last + Self.pausedLayerInterval
        }
    }

    let id: ProducerID
    let transport: TransportID
    let kind: MediaKind
    let codec: RouterCapabilities.Codec
    /// The codec's payload format, for reading descriptors per packet.
    let payloadFormat: PayloadFormat
    let inputPayloadType: UInt8
    let inputRTXPayloadType: UInt8?
    /// One per encoding, fixed for the producer's life.
    let streams: [Stream]
    var paused: Bool
    var consumers: [Consumer] = []
    /// Audio level (dBov, 0...127) samples since the last observer interval.
    var audioLevelSum = 0
    var audioLevelCount = 0
    /// The SVC scalability mode of a single-encoding VP9 producer with more than one layer; nil
    /// for plain and simulcast producers.
    let svcMode: ScalabilityMode?

    init(id: ProducerID, transport: TransportID, options: ProducerOptions, codec: RouterCapabilities.Codec, profile: Profile) {
        self.id = id
        self.transport = transport
        kind = options.kind
        self.codec = codec
        payloadFormat = PayloadFormat(mimeType: codec.mimeType)
        inputPayloadType = options.payloadType
        inputRTXPayloadType = options.rtxPayloadType
        paused = options.paused
        let delay = Duration.milliseconds(profile.producer.keyFrameRequestDelay)
        var svcMode: ScalabilityMode?
        if options.kind == .video, options.encodings.count == 1, codec.mimeType.lowercased() == "video/vp9",
           let mode = ScalabilityMode(options.encodings[0].scalabilityMode ?? profile.producer.svcScalabilityMode), mode.isLayered {
            svcMode = mode
        }
        self.svcMode = svcMode
        streams = options.encodings.enumerated().map { index, encoding in
            Stream(index: index, encoding: encoding, clockRate: codec.clockRate, settings: profile.feedback, keyFrameDelay: delay,
                   spatialLayerCount: svcMode?.spatialLayers ?? 1)
        }
    }

    var isVideo: Bool { kind == .video }
    var isSimulcast: Bool { streams.count > 1 }
    /// One VP9 stream carrying several spatial/temporal layers (consumed by SVC consumers).
    var isSVC: Bool { svcMode != nil }
    /// Consumers step through layers chosen by the allocator (simulcast or SVC).
    var isLayered: Bool { isSimulcast || isSVC }
    /// Spatial layers a consumer can choose from: simulcast streams, or SVC spatial layers.
    var spatialLayerCount: Int { svcMode?.spatialLayers ?? streams.count }
    /// Highest temporal layer a consumer can choose (2 unless the SVC mode says otherwise).
    var highestTemporalLayer: Int { svcMode.map { min($0.temporalLayers, Stream.temporalSlots) - 1 } ?? 2 }
}
