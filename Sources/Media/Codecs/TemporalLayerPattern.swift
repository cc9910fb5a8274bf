import CVPX

/// The reference structure of VP8 temporal scalability, as WebRTC's libvpx wrapper uses it.
///
/// L1T3 repeats every 4 frames with temporal layer ids 0, 2, 1, 2:
/// - TL0 references and updates LAST (the base layer chain);
/// - TL2 (frame 1) references LAST only and updates nothing (discardable, a layer sync point);
/// - TL1 references LAST and updates GOLDEN (a layer sync point);
/// - TL2 (frame 3) references LAST and GOLDEN and updates nothing (discardable).
/// Dropping TL2, or TL1 and TL2, therefore leaves a decodable stream at 1/2 or 1/4 the frame rate.
public struct TemporalLayerPattern: Sendable, Hashable {
    /// Number of temporal layers: 1 (L1T1) or 3 (L1T3).
    public let layerCount: Int

    /// Creates the pattern for 1 or 3 temporal layers.
    public init(layerCount: Int) {
        precondition(layerCount == 1 || layerCount == 3, "only L1T1 and L1T3 are supported")
        self.layerCount = layerCount
    }

    /// Frames per repetition of the pattern.
    public var periodicity: Int { layerCount == 3 ? 4 : 1 }

    /// Temporal layer id of the frame at `index` within the pattern (index counted from the last key frame).
    public func temporalLayer(at index: Int) -> Int {
        layerCount == 3 ? [0, 2, 1, 2][index % 4] : 0
    }

    /// Whether the frame at `index` depends only on the base layer (the VP8 descriptor's Y bit).
    public func isLayerSync(at index: Int) -> Bool {
        layerCount == 3 ? index % 4 != 3 : false
    }

    /// Whether no later frame references the frame at `index` (the VP8 descriptor's N bit).
    public func isDiscardable(at index: Int) -> Bool {
        temporalLayer(at: index) == 2
    }

    /// libvpx per-frame encode flags for the frame at `index`.
    public func encodeFlags(at index: Int) -> vpx_enc_frame_flags_t {
        guard layerCount == 3 else { return 0 }
        let noRefGolden = Int(VP8_EFLAG_NO_REF_GF), noRefAltRef = Int(VP8_EFLAG_NO_REF_ARF)
        let noUpdLast = Int(VP8_EFLAG_NO_UPD_LAST), noUpdGolden = Int(VP8_EFLAG_NO_UPD_GF)
        let noUpdAltRef = Int(VP8_EFLAG_NO_UPD_ARF), noUpdEntropy = Int(VP8_EFLAG_NO_UPD_ENTROPY)
        let flags: Int
        switch index % 4 {
        case 0: flags = noRefGolden | noRefAltRef | noUpdGolden | noUpdAltRef
        case 1: flags = noRefGolden | noRefAltRef | noUpdLast | noUpdGolden | noUpdAltRef | noUpdEntropy
        case 2: flags = noRefGolden | noRefAltRef | noUpdLast | noUpdAltRef
        default: flags = noRefAltRef | noUpdLast | noUpdGolden | noUpdAltRef | noUpdEntropy
        }
        return vpx_enc_frame_flags_t(flags)
    }

    /// Share of the total bitrate that each layer adds (WebRTC's split: 40 %, 20 %, 40 %).
    public var layerShares: [Double] { layerCount == 3 ? [0.4, 0.2, 0.4] : [1.0] }

    /// Frame-rate divisor of each layer relative to the full rate (4, 2, 1 for L1T3).
    public var rateDecimators: [Int] { layerCount == 3 ? [4, 2, 1] : [1] }

    /// Scalability mode name (W3C webrtc-svc), `"L1T3"` or `"L1T1"`.
    public var scalabilityMode: String { "L1T\(layerCount)" }
}
