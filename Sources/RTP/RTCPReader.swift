/// A body reader with bounds-checked, throwing reads (RTCP parse may throw, never trap).
struct RTCPReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let end: Int
    let packetType: UInt8

    init(_ bytes: UnsafeRawBufferPointer, _ header: RTCPPacketHeader) {
        self.bytes = bytes
        self.offset = header.bodyRange.lowerBound
        self.end = header.bodyRange.upperBound
        self.packetType = header.packetType
    }

    var remaining: Int { end - offset }

    mutating func uint8() throws(RTCPParseError) -> UInt8 {
        guard offset + 1 <= end else { throw .tooShort }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() throws(RTCPParseError) -> UInt16 {
        guard offset + 2 <= end else { throw .tooShort }
        defer { offset += 2 }
        return readUInt16(bytes, offset)
    }

    mutating func uint24() throws(RTCPParseError) -> UInt32 {
        guard offset + 3 <= end else { throw .tooShort }
        defer { offset += 3 }
        return readUInt24(bytes, offset)
    }

    mutating func uint32() throws(RTCPParseError) -> UInt32 {
        guard offset + 4 <= end else { throw .tooShort }
        defer { offset += 4 }
        return readUInt32(bytes, offset)
    }

    mutating func bytes(_ count: Int) throws(RTCPParseError) -> [UInt8] {
        guard count >= 0, offset + count <= end else { throw .tooShort }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
