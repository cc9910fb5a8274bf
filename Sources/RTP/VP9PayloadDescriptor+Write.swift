extension VP9PayloadDescriptor {
    /// Writes the descriptor at the start of `buffer`; returns its length, or nil when the buffer is
    /// too small or the value cannot be encoded (more than 255 picture-group entries, 3+ SS
    /// reference diffs, or spatialLayerCount outside 1...8). Fields are masked to their widths.
    /// In flexible mode with P set and no ``referenceDiffs``, a single P_DIFF of 0 is written.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let length = encodedLength
        guard buffer.count >= length else { return nil }
        if let scalabilityStructure {
            guard (1...8).contains(scalabilityStructure.spatialLayerCount),
                  (scalabilityStructure.pictureGroup?.count ?? 0) <= 255,
                  scalabilityStructure.pictureGroup?.allSatisfy({ $0.referenceDiffs.count <= 3 }) ?? true
            else { return nil }
        }
        buffer[0] = (pictureID != nil ? 0x80 : 0) | (isInterPicturePredicted ? 0x40 : 0) | (layerIndices != nil ? 0x20 : 0)
            | (isFlexibleMode ? 0x10 : 0) | (isStartOfFrame ? 0x08 : 0) | (isEndOfFrame ? 0x04 : 0)
            | (scalabilityStructure != nil ? 0x02 : 0) | (isNotReferenceForUpperSpatialLayers ? 0x01 : 0)
        var offset = 1
        if let pictureID {
            if pictureIDIs15Bit {
                buffer[offset] = 0x80 | UInt8(truncatingIfNeeded: pictureID >> 8) & 0x7F
                buffer[offset + 1] = UInt8(truncatingIfNeeded: pictureID)
                offset += 2
            } else {
                buffer[offset] = UInt8(truncatingIfNeeded: pictureID) & 0x7F
                offset += 1
            }
        }
        if let layerIndices {
            buffer[offset] = layerIndices.byte
            offset += 1
            if !isFlexibleMode {
                buffer[offset] = tl0PictureIndex ?? 0
                offset += 1
            }
        }
        if isFlexibleMode && isInterPicturePredicted {
            if referenceDiffs.isEmpty {
                buffer[offset] = 0
                offset += 1
            }
            for (index, diff) in referenceDiffs.enumerated() {
                buffer[offset] = diff << 1 | (index + 1 < referenceDiffs.count ? 1 : 0)
                offset += 1
            }
        }
        scalabilityStructure?.write(into: buffer, at: &offset)
        return offset
    }

    /// The descriptor as a new array (empty when it cannot be encoded).
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: encodedLength)
        let written = out.withUnsafeMutableBytes { write(into: $0) }
        return written == nil ? [] : out
    }

    /// Rewrites the PictureID in place, keeping its width; false when malformed or absent.
    @discardableResult
    public static func rewritePictureID(_ pictureID: UInt16, in payload: UnsafeMutableRawBufferPointer) -> Bool {
        guard payload.count >= 2, payload[0] & 0x80 != 0 else { return false }
        if payload[1] & 0x80 != 0 {
            guard payload.count >= 3 else { return false }
            payload[1] = 0x80 | UInt8(truncatingIfNeeded: pictureID >> 8) & 0x7F
            payload[2] = UInt8(truncatingIfNeeded: pictureID)
        } else {
            payload[1] = UInt8(truncatingIfNeeded: pictureID) & 0x7F
        }
        return true
    }
}
