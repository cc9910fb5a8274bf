import RTP

extension MediaFrameInfo {
    /// Reads key-frame, layer and frame-start information from a payload of `mimeType`.
    /// Unknown or malformed descriptors yield defaults (forwarded as a plain stream).
    public static func inspect(payload: UnsafeRawBufferPointer, mimeType: String, isVideo: Bool) -> MediaFrameInfo {
        inspect(payload: payload, format: PayloadFormat(mimeType: mimeType), isVideo: isVideo)
    }

    /// Reads key-frame, layer and frame-start information from a payload of `format` (the
    /// per-packet form: the format is decided once per stream).
    public static func inspect(payload: UnsafeRawBufferPointer, format: PayloadFormat, isVideo: Bool) -> MediaFrameInfo {
        let info = MediaFrameInfo()
        guard isVideo else { return info }
        // VP8 (RFC 7741), VP9 (RFC 9628). Other codecs: a single-layer stream whose key frames are unknown.
        switch format {
        case .vp9: return inspectVP9(payload: payload)
        case .other: return info
        case .vp8: break
        }
        guard let descriptor = try? VP8PayloadDescriptor(parsing: payload) else { return info }
        return MediaFrameInfo(vp8: descriptor, payload: payload)
    }

    /// What a VP8 payload (RFC 7741) whose descriptor was parsed as `descriptor` says.
    public init(vp8 descriptor: VP8PayloadDescriptor, payload: UnsafeRawBufferPointer) {
        self.init()
        isFrameStart = descriptor.isStartOfFrame
        isPictureStart = descriptor.isStartOfFrame
        temporalLayer = Int(descriptor.temporalLayerID ?? 0)
        isLayerSync = descriptor.isLayerSync
        pictureID = descriptor.pictureID
        tl0PictureIndex = descriptor.tl0PictureIndex
        if descriptor.isStartOfFrame {
            let offset = descriptor.encodedLength
            isKeyFrame = offset < payload.count && payload[offset] & 0x01 == 0
        }
    }

    /// VP9 (RFC 9628 §4.2): B starts a layer frame, E ends it; SID/TID/U from the layer indices
    /// (absent: layer 0); a key frame is the start of spatial layer 0 of a non-predicted picture.
    /// Reads only the first bytes: the scalability structure (V) is not parsed, so nothing allocates.
    static func inspectVP9(payload: UnsafeRawBufferPointer) -> MediaFrameInfo {
        var info = MediaFrameInfo()
        guard payload.count >= 1 else { return info }
        let first = payload[0]
        var offset = 1
        if first & 0x80 != 0 {  // I: picture id, 7 or 15 bits
            guard offset < payload.count else { return info }
            offset += payload[offset] & 0x80 != 0 ? 2 : 1
        }
        var spatial: UInt8 = 0
        if first & 0x20 != 0 {  // L: layer indices
            guard offset < payload.count else { return info }
            let indices = payload[offset]
            info.temporalLayer = Int(indices >> 5)
            info.isLayerSync = indices & 0x10 != 0
            spatial = (indices >> 1) & 0x07
            info.spatialLayer = Int(spatial)
        }
        let isStart = first & 0x08 != 0
        info.isFrameStart = isStart
        info.isPictureStart = isStart && spatial == 0
        info.isEndOfLayerFrame = first & 0x04 != 0
        info.isKeyFrame = first & 0x40 == 0 && isStart && spatial == 0
        return info
    }
}
