import RTP

extension MediaFrameInfo {
    /// Reads key-frame, layer and frame-start information from a payload of `mimeType`.
    /// Unknown or malformed descriptors yield defaults (forwarded as a plain stream).
    static func inspect(payload: UnsafeRawBufferPointer, mimeType: String, isVideo: Bool) -> MediaFrameInfo {
        var info = MediaFrameInfo()
        guard isVideo else { return info }
        // VP8 (RFC 7741). Other codecs: treat as a single-layer stream whose key frames are unknown.
        guard mimeType.utf8.count == 9, mimeType.lowercased() == "video/vp8" else { return info }
        guard let descriptor = try? VP8PayloadDescriptor(parsing: payload) else { return info }
        info.isFrameStart = descriptor.isStartOfFrame
        info.temporalLayer = Int(descriptor.temporalLayerID ?? 0)
        info.isLayerSync = descriptor.isLayerSync
        if descriptor.isStartOfFrame {
            let offset = descriptor.encodedLength
            info.isKeyFrame = offset < payload.count && payload[offset] & 0x01 == 0
        }
        return info
    }
}
