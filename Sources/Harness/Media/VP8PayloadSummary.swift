import Engine
import RTP

/// What a simulated subscriber reads from a VP8 payload (RFC 7741 §4.2), in one pass over the
/// payload descriptor: the descriptor's length as `VP8PayloadDescriptor.encodedLength` gives it
/// (the VP8 payload header follows, and in synthetic media the probe after that), and the frame
/// information `MediaFrameInfo(vp8:payload:)` gives.
///
/// The same as parsing a `VP8PayloadDescriptor` and asking both (HarnessTests'
/// VP8PayloadSummaryTests compare them over every short payload and many random ones), without
/// building the descriptor and its optionals twice per received packet.
struct VP8PayloadSummary {
    /// `encodedLength` of the parsed descriptor, the extension-flags byte included whenever X is
    /// set (X set with no flag gives 2).
    var descriptorLength: Int
    /// `MediaFrameInfo(vp8:payload:)` of the payload.
    var info: MediaFrameInfo

    /// Nil when the descriptor is truncated (where `VP8PayloadDescriptor(parsing:)` throws).
    init?(payload: UnsafeRawBufferPointer) {
        let count = payload.count
        guard count >= 1 else { return nil }
        let first = payload[0]
        var info = MediaFrameInfo()
        // S bit with partition index 0.
        let isStartOfFrame = first & 0x10 != 0 && first & 0x07 == 0
        info.isFrameStart = isStartOfFrame
        info.isPictureStart = isStartOfFrame
        var length = 1
        if first & 0x80 != 0, count >= 6, payload[1] & 0xF0 == 0xE0, payload[2] & 0x80 != 0 {
            // The layout browsers and the synthetic senders use: I (15-bit picture id), L and
            // T, no K; fields at fixed offsets, read without the general walk below.
            info.pictureID = UInt16(payload[2] & 0x7F) << 8 | UInt16(payload[3])
            info.tl0PictureIndex = payload[4]
            info.temporalLayer = Int(payload[5] >> 6)
            info.isLayerSync = payload[5] & 0x20 != 0
            length = 6
        } else if first & 0x80 != 0 {
            guard count >= 2 else { return nil }
            let flags = payload[1]
            var offset = 2
            if flags & 0x80 != 0 {  // I: picture id, 7 or 15 bits
                guard offset < count else { return nil }
                if payload[offset] & 0x80 != 0 {
                    guard offset + 1 < count else { return nil }
                    info.pictureID = UInt16(payload[offset] & 0x7F) << 8 | UInt16(payload[offset + 1])
                    offset += 2
                } else {
                    info.pictureID = UInt16(payload[offset])
                    offset += 1
                }
            }
            if flags & 0x40 != 0 {  // L: TL0PICIDX
                guard offset < count else { return nil }
                info.tl0PictureIndex = payload[offset]
                offset += 1
            }
            if flags & 0x30 != 0 {  // T or K: the TID/Y/KEYIDX byte
                guard offset < count else { return nil }
                if flags & 0x20 != 0 {
                    info.temporalLayer = Int(payload[offset] >> 6)
                    info.isLayerSync = payload[offset] & 0x20 != 0
                }
                offset += 1
            }
            length = offset
        }
        if isStartOfFrame {
            // P bit of the VP8 payload header: 0 for a key frame.
            info.isKeyFrame = length < count && payload[length] & 0x01 == 0
        }
        descriptorLength = length
        self.info = info
    }
}
