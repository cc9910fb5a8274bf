/// A VP8 payload (RFC 7741 §4.2 descriptor, §4.3 payload header) read in one pass for the
/// forwarding path: what routing needs (`info`) and where the fields every forwarded copy
/// rewrites sit (`pictureIDOffset`, `tl0PictureIndexOffset`).
///
/// It gives exactly what parsing a `VP8PayloadDescriptor`, then `MediaFrameInfo(vp8:payload:)`
/// and the VP8 offsets of `ForwardLayout` from it gave (`VP8PacketReadingTests` compare them on
/// random payloads), without the descriptor's intermediate value and its second and third reads.
/// A payload whose descriptor does not parse reads as `MediaFrameInfo()` with no offsets.
struct VP8PacketReading {
    /// Key frame, temporal layer, frame start, layer sync, picture id and TL0PICIDX.
    var info = MediaFrameInfo()
    /// Offset in the payload of the picture id (7- or 15-bit, told apart by its M bit).
    var pictureIDOffset: Int?
    /// Offset in the payload of the TL0PICIDX.
    var tl0PictureIndexOffset: Int?

    @inline(__always)
    init(payload: UnsafeRawBufferPointer) {
        let count = payload.count
        guard count >= 1 else { return }
        let first = payload[0]
        let isFrameStart = first & 0x10 != 0 && first & 0x07 == 0  // S=1, PID=0
        var pictureID: UInt16?
        var pictureIDOffset: Int?
        var tl0PictureIndex: UInt8?
        var tl0PictureIndexOffset: Int?
        var temporalLayer = 0
        var isLayerSync = false
        // Where the VP8 payload header starts: after the descriptor, whose extension-flags byte
        // counts even with none of I, L, T, K set.
        var payloadHeader = 1
        if first & 0x80 != 0 {  // X
            guard count >= 2 else { return }
            let flags = payload[1]
            var offset = 2
            if flags & 0x80 != 0 {  // I
                guard offset < count else { return }
                pictureIDOffset = offset
                if payload[offset] & 0x80 != 0 {  // M: 15 bits
                    guard offset + 1 < count else { return }
                    pictureID = UInt16(payload[offset] & 0x7F) << 8 | UInt16(payload[offset + 1])
                    offset += 2
                } else {
                    pictureID = UInt16(payload[offset])
                    offset += 1
                }
            }
            if flags & 0x40 != 0 {  // L
                guard offset < count else { return }
                tl0PictureIndexOffset = offset
                tl0PictureIndex = payload[offset]
                offset += 1
            }
            if flags & 0x30 != 0 {  // T or K
                guard offset < count else { return }
                if flags & 0x20 != 0 {
                    let byte = payload[offset]
                    temporalLayer = Int(byte >> 6)
                    isLayerSync = byte & 0x20 != 0
                }
                offset += 1
            }
            payloadHeader = offset
        }
        info.isFrameStart = isFrameStart
        info.isPictureStart = isFrameStart
        info.temporalLayer = temporalLayer
        info.isLayerSync = isLayerSync
        info.pictureID = pictureID
        info.tl0PictureIndex = tl0PictureIndex
        // RFC 7741 §4.3: P (the lowest bit of the payload header's first byte) is 0 in a key frame.
        if isFrameStart { info.isKeyFrame = payloadHeader < count && payload[payloadHeader] & 0x01 == 0 }
        self.pictureIDOffset = pictureIDOffset
        self.tl0PictureIndexOffset = tl0PictureIndexOffset
    }
}
