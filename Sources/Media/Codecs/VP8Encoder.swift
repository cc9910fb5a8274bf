import CVPX

/// A libvpx VP8 encoder in WebRTC's real-time configuration: one thread, CBR, no frame
/// dropping, no look-ahead, key frames only when asked, temporal layers driven per frame.
///
/// Owns one `vpx_codec_ctx_t`; `deinit` destroys it. Not `Sendable`: use it from one task at a time.
/// Fixed speed (see `Configuration.cpuUsed`) and one thread keep the output identical run to run.
public final class VP8Encoder {
    /// Settings the encoder is created with.
    public struct Configuration: Sendable, Hashable, Codable {
        public var width: Int
        public var height: Int
        /// Frames per second.
        public var frameRate: Int
        /// Total target bitrate of all temporal layers, bits per second.
        public var targetBitrate: Int
        /// 1 (L1T1) or 3 (L1T3).
        public var temporalLayers: Int = 3
        /// libvpx speed 1–16; higher is faster (default 8; WebRTC uses 6 to 12). It is passed to
        /// `VP8E_SET_CPUUSED` negated: in VP8 real-time mode a negative value fixes the speed,
        /// while a positive one lets libvpx pick the speed from measured encode times, which
        /// would make the output depend on the machine's load.
        public var cpuUsed: Int = 8
        /// Screen-content tuning (VP8E_SET_SCREEN_CONTENT_MODE).
        public var screenContent: Bool = false

        public init(width: Int, height: Int, frameRate: Int, targetBitrate: Int, temporalLayers: Int = 3,
                    cpuUsed: Int = 8, screenContent: Bool = false) {
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.targetBitrate = targetBitrate
            self.temporalLayers = temporalLayers
            self.cpuUsed = cpuUsed
            self.screenContent = screenContent
        }
    }

    public let configuration: Configuration
    /// The temporal layer structure the encoder follows.
    public let pattern: TemporalLayerPattern
    private let encoder: VPXEncoderContext
    private var frameIndex: Int64 = 0
    private var patternIndex = 0

    /// Creates and configures the encoder.
    public init(_ configuration: Configuration) throws(CodecError) {
        guard configuration.width > 0, configuration.height > 0, configuration.width % 2 == 0,
              configuration.height % 2 == 0, configuration.frameRate > 0, configuration.targetBitrate > 0 else {
            throw CodecError.invalid("vpx_codec_enc_init", "invalid VP8 configuration \(configuration)")
        }
        self.configuration = configuration
        let pattern = TemporalLayerPattern(layerCount: configuration.temporalLayers == 3 ? 3 : 1)
        self.pattern = pattern
        var cfg = try VPXEncoderContext.realTimeConfiguration(vpx_codec_vp8_cx(), width: configuration.width, height: configuration.height,
                                                              targetBitrate: configuration.targetBitrate, maxQuantizer: 56)
        cfg.g_error_resilient = pattern.layerCount > 1 ? vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT) : 0
        if pattern.layerCount == 3 {
            cfg.ts_number_layers = 3
            cfg.ts_periodicity = 4
            var cumulative = 0.0
            withUnsafeMutableBytes(of: &cfg.ts_target_bitrate) { raw in
                let rates = raw.bindMemory(to: UInt32.self)
                for (layer, share) in pattern.layerShares.enumerated() {
                    cumulative += share
                    rates[layer] = UInt32((Double(configuration.targetBitrate) * cumulative / 1000).rounded())
                }
            }
            withUnsafeMutableBytes(of: &cfg.ts_rate_decimator) { raw in
                let decimators = raw.bindMemory(to: UInt32.self)
                for (layer, value) in pattern.rateDecimators.enumerated() { decimators[layer] = UInt32(value) }
            }
            withUnsafeMutableBytes(of: &cfg.ts_layer_id) { raw in
                let ids = raw.bindMemory(to: UInt32.self)
                for index in 0..<4 { ids[index] = UInt32(pattern.temporalLayer(at: index)) }
            }
        }
        encoder = try VPXEncoderContext(vpx_codec_vp8_cx(), configuration: cfg)
        let context = encoder.context
        try encoder.control("VP8E_SET_CPUUSED", vpx_codec_control_VP8E_SET_CPUUSED(context, Int32(VP8E_SET_CPUUSED.rawValue), Int32(-configuration.cpuUsed)))
        try encoder.control("VP8E_SET_STATIC_THRESHOLD", vpx_codec_control_VP8E_SET_STATIC_THRESHOLD(context, Int32(VP8E_SET_STATIC_THRESHOLD.rawValue), 1))
        try encoder.control("VP8E_SET_NOISE_SENSITIVITY", vpx_codec_control_VP8E_SET_NOISE_SENSITIVITY(context, Int32(VP8E_SET_NOISE_SENSITIVITY.rawValue), 0))
        try encoder.control("VP8E_SET_MAX_INTRA_BITRATE_PCT", vpx_codec_control_VP8E_SET_MAX_INTRA_BITRATE_PCT(context, Int32(VP8E_SET_MAX_INTRA_BITRATE_PCT.rawValue), 300))
        if configuration.screenContent {
            try encoder.control("VP8E_SET_SCREEN_CONTENT_MODE", vpx_codec_control_VP8E_SET_SCREEN_CONTENT_MODE(context, Int32(VP8E_SET_SCREEN_CONTENT_MODE.rawValue), 1))
        }
    }

    /// Encodes one picture captured at `timestamp` (90 kHz). `forceKeyFrame` makes it a key
    /// frame and restarts the temporal pattern. The first frame is always a key frame.
    public func encode(_ frame: VideoFrame, timestamp: UInt32, forceKeyFrame: Bool = false) throws(CodecError) -> [EncodedVideoFrame] {
        let isKey = forceKeyFrame || frameIndex == 0
        if isKey { patternIndex = 0 }
        let temporalLayer = pattern.temporalLayer(at: patternIndex)
        var flags = pattern.encodeFlags(at: patternIndex)
        if isKey { flags |= vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) }
        if pattern.layerCount > 1 {
            try encoder.control("VP8E_SET_TEMPORAL_LAYER_ID", vpx_codec_control_VP8E_SET_TEMPORAL_LAYER_ID(encoder.context, Int32(VP8E_SET_TEMPORAL_LAYER_ID.rawValue), Int32(temporalLayer)))
        }
        let output = try encoder.encode(frame, timestamp: timestamp, frameRate: configuration.frameRate, flags: flags).map { encoded in
            EncodedVideoFrame(data: encoded.bytes, timestamp: timestamp, isKeyFrame: encoded.isKeyFrame,
                              temporalLayer: encoded.isKeyFrame ? 0 : temporalLayer,
                              isLayerSync: encoded.isKeyFrame || pattern.isLayerSync(at: patternIndex),
                              isDiscardable: !encoded.isKeyFrame && pattern.isDiscardable(at: patternIndex))
        }
        frameIndex += 1
        patternIndex += 1
        return output
    }
}
