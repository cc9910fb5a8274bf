/// What the engine needs to know about a media packet's payload to route it: key frames,
/// layers and frame boundaries, read from the codec's payload descriptor. Public so that simulated
/// receivers read payloads exactly as the engine does.
public struct MediaFrameInfo: Sendable, Hashable {
    public var isKeyFrame = false
    /// Temporal layer id (0 when the codec/packet carries none).
    public var temporalLayer = 0
    /// Spatial layer id for SVC (0 otherwise).
    public var spatialLayer = 0
    /// First packet of a frame (VP8 S bit with partition 0; VP9 B bit, of any spatial layer;
    /// audio: always).
    public var isFrameStart = true
    /// First packet of a whole picture (VP9: B bit in spatial layer 0; otherwise a frame start).
    public var isPictureStart = true
    /// Last packet of a (layer) frame (VP9 E bit; unknown for other codecs: false).
    public var isEndOfLayerFrame = false
    /// The packet starts a frame from which the temporal layer can be switched up (VP8 Y bit,
    /// VP9 U bit).
    public var isLayerSync = false
    /// VP8 picture id and TL0PICIDX, when the descriptor carries them.
    public var pictureID: UInt16?
    public var tl0PictureIndex: UInt8?

    public init() {}
}
