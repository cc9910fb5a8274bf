extension VP8PayloadDescriptor {
    /// Rewrites the PictureID in the descriptor at the start of `payload`, keeping its width
    /// (a 7-bit field receives `pictureID & 0x7F`, a 15-bit one `pictureID & 0x7FFF`).
    /// Returns false when the descriptor is malformed or carries no PictureID.
    @inlinable
    @discardableResult
    public static func rewritePictureID(_ pictureID: UInt16, in payload: UnsafeMutableRawBufferPointer) -> Bool {
        guard let offsets = fieldOffsets(UnsafeRawBufferPointer(payload)), let offset = offsets.pictureID else { return false }
        if payload[offset] & 0x80 != 0 {
            payload[offset] = 0x80 | UInt8(truncatingIfNeeded: pictureID >> 8) & 0x7F
            payload[offset + 1] = UInt8(truncatingIfNeeded: pictureID)
        } else {
            payload[offset] = UInt8(truncatingIfNeeded: pictureID) & 0x7F
        }
        return true
    }

    /// Rewrites TL0PICIDX in place; false when malformed or absent.
    @inlinable
    @discardableResult
    public static func rewriteTL0PictureIndex(_ index: UInt8, in payload: UnsafeMutableRawBufferPointer) -> Bool {
        guard let offsets = fieldOffsets(UnsafeRawBufferPointer(payload)), let offset = offsets.tl0PictureIndex else { return false }
        payload[offset] = index
        return true
    }

    /// Byte offsets of the PictureID and TL0PICIDX fields, or nil when the descriptor is malformed.
    @inlinable
    static func fieldOffsets(_ payload: UnsafeRawBufferPointer) -> (pictureID: Int?, tl0PictureIndex: Int?)? {
        guard let descriptor = try? VP8PayloadDescriptor(parsing: payload) else { return nil }
        var offset = 2
        var pictureIDOffset: Int? = nil
        if descriptor.pictureID != nil {
            pictureIDOffset = offset
            offset += descriptor.pictureIDIs15Bit ? 2 : 1
        }
        return (pictureIDOffset, descriptor.tl0PictureIndex != nil ? offset : nil)
    }
}
