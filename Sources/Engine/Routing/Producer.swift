import RTP

/// One incoming media source (mediasoup `Producer`): one stream per encoding, each with receive
/// statistics, a NACK generator, a key-frame request manager and per-temporal-layer rate meters.
final class Producer {
    /// One encoding's incoming stream (mediasoup `RtpStreamRecv`).
    final class Stream {
        let index: Int
        var ssrc: UInt32?
        let rid: String?
        var rtxSSRC: UInt32?
        let declaredBitrate: Bitrate?
        var statistics: ReceiveStatistics
        var nack: NackGenerator
        var keyFrames: KeyFrameRequestManager
        /// Rate of each temporal layer of this stream (index = temporal id).
        var temporalRates: [RateMeter]
        var maxTemporalLayerSeen = 0
        var lastPacketAt: Instant?
        /// When the stream started sending again after a pause of a second or more.
        var startedAt: Instant?
        var firSequence: UInt8 = 0

        init(index: Int, encoding: ProducerEncoding, clockRate: Int, settings: FeedbackSettings, keyFrameDelay: Duration) {
            self.index = index
            ssrc = encoding.ssrc
            rid = encoding.rid
            rtxSSRC = encoding.rtxSSRC
            declaredBitrate = encoding.maxBitrate
            statistics = ReceiveStatistics(clockRate: clockRate)
            nack = NackGenerator(settings: settings.nack)
            keyFrames = KeyFrameRequestManager(delay: keyFrameDelay,
                                               retransmissionWait: .milliseconds(settings.keyFrame.retransmissionWait))
            temporalRates = (0..<4).map { _ in RateMeter() }
        }

        /// Bitrate of temporal layers 0...`temporal` of this stream at `now`; the declared
        /// maximum (split as libwebrtc does) until something was measured, and at least that
        /// while the measurement window (1 s) is not yet full since the stream (re)started, so a
        /// layer a publisher just switched on does not look cheap.
        func bitrate(upToTemporal temporal: Int, now: Instant) -> Bitrate {
            var total = Bitrate.zero
            for layer in 0...min(temporal, temporalRates.count - 1) { total += temporalRates[layer].rate(now: now) }
            if let declared = declaredBitrate {
                // libwebrtc's default three-layer split: TL0 40 %, TL1 20 %, TL2 40 %.
                let cumulative = [0.4, 0.6, 1.0]
                let split = declared * cumulative[min(temporal, cumulative.count - 1)]
                if total == .zero { return split }
                if let started = startedAt, now - started < .seconds(1) { return max(total, split) }
            }
            return total
        }

        /// Whether the stream sent anything in the last second.
        func isActive(now: Instant) -> Bool {
            guard let last = lastPacketAt else { return false }
            return now - last < .seconds(1)
        }
    }

    let id: ProducerID
    let transport: TransportID
    let kind: MediaKind
    let codec: RouterCapabilities.Codec
    let inputPayloadType: UInt8
    let inputRTXPayloadType: UInt8?
    var streams: [Stream]
    var paused: Bool
    var consumers: [Consumer] = []
    /// Audio level (dBov, 0...127) samples since the last observer interval.
    var audioLevelSum = 0
    var audioLevelCount = 0

    init(id: ProducerID, transport: TransportID, options: ProducerOptions, codec: RouterCapabilities.Codec, profile: Profile) {
        self.id = id
        self.transport = transport
        kind = options.kind
        self.codec = codec
        inputPayloadType = options.payloadType
        inputRTXPayloadType = options.rtxPayloadType
        paused = options.paused
        let delay = Duration.milliseconds(profile.producer.keyFrameRequestDelay)
        streams = options.encodings.enumerated().map { index, encoding in
            Stream(index: index, encoding: encoding, clockRate: codec.clockRate, settings: profile.feedback, keyFrameDelay: delay)
        }
    }

    var isVideo: Bool { kind == .video }
    var isSimulcast: Bool { streams.count > 1 }
}
