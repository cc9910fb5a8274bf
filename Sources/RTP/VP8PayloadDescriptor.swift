/// The VP8 RTP payload descriptor (RFC 7741 §4.2).
///
/// ```
///  X|R|N|S|R|PID      required
///  I|L|T|K|RSV        if X
///  M|PictureID(7/15)  if I
///  TL0PICIDX          if L
///  TID|Y|KEYIDX       if T or K
/// ```
public struct VP8PayloadDescriptor: Hashable, Sendable {
    /// N: the frame can be discarded without affecting others.
    public var isNonReference: Bool
    /// S: the packet starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: partition index, 0...7.
    public var partitionIndex: UInt8
    /// PictureID, when I is set (7 or 15 bits, see ``pictureIDIs15Bit``).
    public var pictureID: UInt16?
    /// M: the PictureID field is 15 bits (2 bytes) rather than 7.
    public var pictureIDIs15Bit: Bool
    /// TL0PICIDX, when L is set.
    public var tl0PictureIndex: UInt8?
    /// TID (0...3), when T is set.
    public var temporalLayerID: UInt8?
    /// Y: layer sync bit (meaningful when T is set).
    public var isLayerSync: Bool
    /// KEYIDX (0...31), when K is set.
    public var keyIndex: UInt8?
    /// X is set but none of I, L, T, K: the extension-flags byte is present with nothing after
    /// it (RFC 7741 allows it). Only such a byte makes ``encodedLength`` count it without a field.
    public var hasEmptyExtension: Bool

    public init(
        isNonReference: Bool = false, isStartOfPartition: Bool, partitionIndex: UInt8 = 0,
        pictureID: UInt16? = nil, pictureIDIs15Bit: Bool = true, tl0PictureIndex: UInt8? = nil,
        temporalLayerID: UInt8? = nil, isLayerSync: Bool = false, keyIndex: UInt8? = nil,
        hasEmptyExtension: Bool = false
    ) {
        self.isNonReference = isNonReference
        self.isStartOfPartition = isStartOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.pictureIDIs15Bit = pictureIDIs15Bit
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayerID = temporalLayerID
        self.isLayerSync = isLayerSync
        self.keyIndex = keyIndex
        self.hasEmptyExtension = hasEmptyExtension
    }

    /// Descriptor length in bytes; the VP8 payload starts here.
    public var encodedLength: Int {
        var length = 1
        let extended = hasEmptyExtension || pictureID != nil || tl0PictureIndex != nil || temporalLayerID != nil || keyIndex != nil
        if extended { length += 1 }
        if pictureID != nil { length += pictureIDIs15Bit ? 2 : 1 }
        if tl0PictureIndex != nil { length += 1 }
        if temporalLayerID != nil || keyIndex != nil { length += 1 }
        return length
    }

    /// True when this packet starts a frame (S=1 and PID=0).
    public var isStartOfFrame: Bool { isStartOfPartition && partitionIndex == 0 }

    /// Parses the descriptor at the start of an RTP payload. Never traps.
    @inlinable
    public init(parsing payload: UnsafeRawBufferPointer) throws(PayloadDescriptorParseError) {
        let count = payload.count
        guard count >= 1 else { throw .tooShort }
        let first = payload[0]
        self.init(isNonReference: first & 0x20 != 0, isStartOfPartition: first & 0x10 != 0, partitionIndex: first & 0x07)
        guard first & 0x80 != 0 else { return }
        guard count >= 2 else { throw .tooShort }
        let flags = payload[1]
        hasEmptyExtension = flags & 0xF0 == 0
        var offset = 2
        if flags & 0x80 != 0 {
            guard offset < count else { throw .tooShort }
            if payload[offset] & 0x80 != 0 {
                guard offset + 1 < count else { throw .tooShort }
                pictureID = UInt16(payload[offset] & 0x7F) << 8 | UInt16(payload[offset + 1])
                pictureIDIs15Bit = true
                offset += 2
            } else {
                pictureID = UInt16(payload[offset])
                pictureIDIs15Bit = false
                offset += 1
            }
        }
        if flags & 0x40 != 0 {
            guard offset < count else { throw .tooShort }
            tl0PictureIndex = payload[offset]
            offset += 1
        }
        if flags & 0x30 != 0 {
            guard offset < count else { throw .tooShort }
            let byte = payload[offset]
            if flags & 0x20 != 0 {
                temporalLayerID = byte >> 6
                isLayerSync = byte & 0x20 != 0
            }
            if flags & 0x10 != 0 { keyIndex = byte & 0x1F }
        }
    }

    /// Array convenience for ``init(parsing:)-(UnsafeRawBufferPointer)``.
    public init(parsing payload: [UInt8]) throws(PayloadDescriptorParseError) {
        let result: Result<Self, PayloadDescriptorParseError> = payload.withUnsafeBytes { raw in
            do throws(PayloadDescriptorParseError) { return .success(try Self(parsing: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// True when `payload` (an RTP payload) starts a VP8 key frame: S=1, PID=0 and the P bit of
    /// the VP8 payload header (RFC 7741 §4.3) is 0.
    @inlinable
    public static func isKeyFrame(payload: UnsafeRawBufferPointer) -> Bool {
        guard let descriptor = try? VP8PayloadDescriptor(parsing: payload), descriptor.isStartOfFrame else { return false }
        let offset = descriptor.encodedLength
        guard offset < payload.count else { return false }
        return payload[offset] & 0x01 == 0
    }

    /// Writes the descriptor at the start of `buffer`; returns its length, or nil when too small.
    /// Fields are masked to their widths.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let length = encodedLength
        guard buffer.count >= length else { return nil }
        let extended = length > 1
        buffer[0] = (extended ? 0x80 : 0) | (isNonReference ? 0x20 : 0) | (isStartOfPartition ? 0x10 : 0) | (partitionIndex & 0x07)
        guard extended else { return 1 }
        let hasTK = temporalLayerID != nil || keyIndex != nil
        buffer[1] = (pictureID != nil ? 0x80 : 0) | (tl0PictureIndex != nil ? 0x40 : 0)
            | (temporalLayerID != nil ? 0x20 : 0) | (keyIndex != nil ? 0x10 : 0)
        var offset = 2
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
        if let tl0PictureIndex {
            buffer[offset] = tl0PictureIndex
            offset += 1
        }
        if hasTK {
            buffer[offset] = ((temporalLayerID ?? 0) & 0x03) << 6 | (isLayerSync ? 0x20 : 0) | ((keyIndex ?? 0) & 0x1F)
            offset += 1
        }
        return offset
    }

    /// The descriptor as a new array.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: encodedLength)
        _ = out.withUnsafeMutableBytes { write(into: $0) }
        return out
    }
}
