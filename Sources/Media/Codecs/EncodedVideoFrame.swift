/// One compressed video frame as an encoder produced it.
public struct EncodedVideoFrame: Sendable, Hashable {
    /// The VP8 (or VP9) bitstream of the frame.
    public var data: [UInt8]
    /// Presentation time in the 90 kHz RTP clock.
    public var timestamp: UInt32
    /// Whether this is an intra-only key frame.
    public var isKeyFrame: Bool
    /// Temporal layer id (0 = base).
    public var temporalLayer: Int
    /// Spatial layer id (0 for VP8; simulcast encodings are separate streams).
    public var spatialLayer: Int
    /// Whether the frame depends only on the base temporal layer (VP8 descriptor Y bit).
    public var isLayerSync: Bool
    /// Whether no later frame references this one (VP8 descriptor N bit).
    public var isDiscardable: Bool

    public init(data: [UInt8], timestamp: UInt32, isKeyFrame: Bool, temporalLayer: Int, spatialLayer: Int = 0,
                isLayerSync: Bool = false, isDiscardable: Bool = false) {
        self.data = data
        self.timestamp = timestamp
        self.isKeyFrame = isKeyFrame
        self.temporalLayer = temporalLayer
        self.spatialLayer = spatialLayer
        self.isLayerSync = isLayerSync
        self.isDiscardable = isDiscardable
    }
}
