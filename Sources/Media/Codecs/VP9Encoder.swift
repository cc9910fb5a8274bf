import CVPX

/// A libvpx VP9 encoder in real-time SVC mode (as libwebrtc configures it): one thread, CBR,
/// no frame dropping, 1–3 spatial layers (each ÷2 of the next) and 1 or 3 temporal layers
/// with libvpx's 0-2-1-2 layering, key frames only when asked.
///
/// Each call to `encode` returns one frame per spatial layer, lowest first, split out of
/// libvpx's superframe. Owns one `vpx_codec_ctx_t`; `deinit` destroys it. Not `Sendable`.
public final class VP9Encoder {
    /// Settings the encoder is created with.
    public struct Configuration: Sendable, Hashable, Codable {
        /// Size of the top spatial layer.
        public var width: Int
        public var height: Int
        public var frameRate: Int
        /// Target bitrate of each spatial layer alone (all its temporal layers), lowest first,
        /// bits per second; the count is the number of spatial layers (1...3).
        public var spatialBitrates: [Int]
        /// 1 or 3.
        public var temporalLayers: Int = 3
        /// libvpx speed 5–9 for real time (default 8).
        public var cpuUsed: Int = 8

        public init(width: Int, height: Int, frameRate: Int, spatialBitrates: [Int], temporalLayers: Int = 3, cpuUsed: Int = 8) {
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.spatialBitrates = spatialBitrates
            self.temporalLayers = temporalLayers
            self.cpuUsed = cpuUsed
        }

        /// W3C scalability mode, e.g. `"L3T3"`.
        public var scalabilityMode: String { "L\(spatialBitrates.count)T\(temporalLayers)" }
    }

    public let configuration: Configuration
    public let pattern: TemporalLayerPattern
    private let encoder: VPXEncoderContext
    private var frameIndex: Int64 = 0
    private var patternIndex = 0

    /// Creates and configures the encoder.
    public init(_ configuration: Configuration) throws(CodecError) {
        let spatial = configuration.spatialBitrates.count
        let divisor = 1 << (spatial - 1)
        guard (1...3).contains(spatial), configuration.temporalLayers == 1 || configuration.temporalLayers == 3,
              configuration.width % (2 * divisor) == 0, configuration.height % (2 * divisor) == 0,
              configuration.frameRate > 0, configuration.spatialBitrates.allSatisfy({ $0 > 0 }) else {
            throw CodecError.invalid("vpx_codec_enc_init", "invalid VP9 configuration \(configuration)")
        }
        self.configuration = configuration
        let pattern = TemporalLayerPattern(layerCount: configuration.temporalLayers)
        self.pattern = pattern
        let temporal = configuration.temporalLayers
        var cfg = try VPXEncoderContext.realTimeConfiguration(vpx_codec_vp9_cx(), width: configuration.width, height: configuration.height,
                                                              targetBitrate: configuration.spatialBitrates.reduce(0, +), maxQuantizer: 52)
        cfg.g_error_resilient = 0
        cfg.ss_number_layers = UInt32(spatial)
        cfg.ts_number_layers = UInt32(temporal)
        cfg.temporal_layering_mode = temporal == 3 ? Int32(VP9E_TEMPORAL_LAYERING_MODE_0212.rawValue) : 0
        if temporal == 3 {
            cfg.ts_periodicity = 4
            withUnsafeMutableBytes(of: &cfg.ts_rate_decimator) { raw in
                let values = raw.bindMemory(to: UInt32.self)
                for (layer, value) in pattern.rateDecimators.enumerated() { values[layer] = UInt32(value) }
            }
            withUnsafeMutableBytes(of: &cfg.ts_layer_id) { raw in
                let values = raw.bindMemory(to: UInt32.self)
                for index in 0..<4 { values[index] = UInt32(pattern.temporalLayer(at: index)) }
            }
        }
        let layerTargets = Self.layerTargets(configuration, pattern: pattern)
        withUnsafeMutableBytes(of: &cfg.layer_target_bitrate) { raw in
            let values = raw.bindMemory(to: UInt32.self)
            for (index, value) in layerTargets.enumerated() { values[index] = UInt32(value / 1000) }
        }
        withUnsafeMutableBytes(of: &cfg.ss_target_bitrate) { raw in
            let values = raw.bindMemory(to: UInt32.self)
            for (layer, value) in configuration.spatialBitrates.enumerated() { values[layer] = UInt32(value / 1000) }
        }
        encoder = try VPXEncoderContext(vpx_codec_vp9_cx(), configuration: cfg)
        let context = encoder.context
        try encoder.control("VP8E_SET_CPUUSED", vpx_codec_control_VP8E_SET_CPUUSED(context, Int32(VP8E_SET_CPUUSED.rawValue), Int32(configuration.cpuUsed)))
        try encoder.control("VP9E_SET_AQ_MODE", vpx_codec_control_VP9E_SET_AQ_MODE(context, Int32(VP9E_SET_AQ_MODE.rawValue), 3))
        try encoder.control("VP9E_SET_NOISE_SENSITIVITY", vpx_codec_control_VP9E_SET_NOISE_SENSITIVITY(context, Int32(VP9E_SET_NOISE_SENSITIVITY.rawValue), 0))
        try encoder.control("VP9E_SET_TILE_COLUMNS", vpx_codec_control_VP9E_SET_TILE_COLUMNS(context, Int32(VP9E_SET_TILE_COLUMNS.rawValue), 0))
        if spatial > 1 || temporal > 1 {
            try encoder.control("VP9E_SET_SVC", vpx_codec_control_VP9E_SET_SVC(context, Int32(VP9E_SET_SVC.rawValue), 1))
            var parameters = vpx_svc_extra_cfg_t()
            parameters.temporal_layering_mode = cfg.temporal_layering_mode
            withUnsafeMutablePointer(to: &parameters) { pointer in
                let base = UnsafeMutableRawPointer(pointer)
                let maxQ = base.advanced(by: MemoryLayout<vpx_svc_extra_cfg_t>.offset(of: \.max_quantizers)!).assumingMemoryBound(to: Int32.self)
                let minQ = base.advanced(by: MemoryLayout<vpx_svc_extra_cfg_t>.offset(of: \.min_quantizers)!).assumingMemoryBound(to: Int32.self)
                let num = base.advanced(by: MemoryLayout<vpx_svc_extra_cfg_t>.offset(of: \.scaling_factor_num)!).assumingMemoryBound(to: Int32.self)
                let den = base.advanced(by: MemoryLayout<vpx_svc_extra_cfg_t>.offset(of: \.scaling_factor_den)!).assumingMemoryBound(to: Int32.self)
                for layer in 0..<(spatial * temporal) {
                    maxQ[layer] = 52
                    minQ[layer] = 2
                }
                for layer in 0..<spatial {
                    num[layer] = 1
                    den[layer] = Int32(1 << (spatial - 1 - layer))
                }
            }
            let result = withUnsafeMutablePointer(to: &parameters) { pointer in
                vpx_codec_control_VP9E_SET_SVC_PARAMETERS(context, Int32(VP9E_SET_SVC_PARAMETERS.rawValue), UnsafeMutableRawPointer(pointer))
            }
            try encoder.control("VP9E_SET_SVC_PARAMETERS", result)
        }
    }

    /// libvpx `layer_target_bitrate` (bits per second): index `s * T + t` is spatial layer `s`
    /// alone, cumulative over its temporal layers 0...t (40/20/40 % split).
    public static func layerTargets(_ configuration: Configuration, pattern: TemporalLayerPattern) -> [Int] {
        configuration.spatialBitrates.flatMap { rate -> [Int] in
            var cumulative = 0.0
            return pattern.layerShares.map { share in
                cumulative += share
                return Int((Double(rate) * cumulative).rounded())
            }
        }
    }

    /// Encodes one picture (top-layer size) captured at `timestamp` (90 kHz) and returns its
    /// spatial-layer frames, lowest first. The first picture is always a key picture.
    public func encode(_ frame: VideoFrame, timestamp: UInt32, forceKeyFrame: Bool = false) throws(CodecError) -> [EncodedVideoFrame] {
        let isKey = forceKeyFrame || frameIndex == 0
        if isKey { patternIndex = 0 }
        let flags: vpx_enc_frame_flags_t = isKey ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let compressed = try encoder.encode(frame, timestamp: timestamp, frameRate: configuration.frameRate, flags: flags)
        var layerID = vpx_svc_layer_id_t()
        if configuration.spatialBitrates.count > 1 || configuration.temporalLayers > 1 {
            try encoder.control("VP9E_GET_SVC_LAYER_ID", vpx_codec_control_VP9E_GET_SVC_LAYER_ID(encoder.context, Int32(VP9E_GET_SVC_LAYER_ID.rawValue), &layerID))
        }
        var output: [EncodedVideoFrame] = []
        for superframe in compressed {
            let key = superframe.isKeyFrame
            let temporalLayer = key ? 0 : Int(layerID.temporal_layer_id)
            for (spatialLayer, layerFrame) in VP9Superframe.split(superframe.bytes).enumerated() {
                output.append(EncodedVideoFrame(
                    data: layerFrame, timestamp: timestamp, isKeyFrame: key, temporalLayer: temporalLayer,
                    spatialLayer: spatialLayer, isLayerSync: key || pattern.isLayerSync(at: patternIndex),
                    isDiscardable: !key && pattern.isDiscardable(at: patternIndex)))
            }
        }
        frameIndex += 1
        patternIndex += 1
        return output
    }
}
