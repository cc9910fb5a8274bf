/// The common header of one RTCP packet in a compound buffer (RFC 3550 §6.4.1), plus where
/// its body lies. Parsed without allocating.
public struct RTCPPacketHeader: Hashable, Sendable {
    public var hasPadding: Bool
    /// RC / SC / FMT: the 5-bit field after the P bit.
    public var countOrFormat: UInt8
    public var packetType: UInt8
    /// Offsets of the whole packet (header through padding) in the compound buffer.
    public var range: Range<Int>
    /// Offsets of the body after the 4-byte header, padding excluded.
    public var bodyRange: Range<Int>

    public init(hasPadding: Bool, countOrFormat: UInt8, packetType: UInt8, range: Range<Int>, bodyRange: Range<Int>) {
        self.hasPadding = hasPadding
        self.countOrFormat = countOrFormat
        self.packetType = packetType
        self.range = range
        self.bodyRange = bodyRange
    }

    /// Parses the header of the packet starting at `offset` in `bytes`.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer, at offset: Int) throws(RTCPParseError) {
        guard offset >= 0, offset + 4 <= bytes.count else { throw .tooShort }
        let first = bytes[offset]
        guard first >> 6 == 2 else { throw .badVersion }
        let length = (Int(readUInt16(bytes, offset + 2)) + 1) * 4
        guard offset + length <= bytes.count else { throw .badLength }
        let end = offset + length
        var bodyEnd = end
        let hasPadding = first & 0x20 != 0
        if hasPadding {
            let padding = Int(bytes[end - 1])
            guard padding > 0, padding <= length - 4 else { throw .badPadding }
            bodyEnd -= padding
        }
        self.init(
            hasPadding: hasPadding, countOrFormat: first & 0x1F, packetType: bytes[offset + 1],
            range: offset..<end, bodyRange: (offset + 4)..<bodyEnd)
    }
}
