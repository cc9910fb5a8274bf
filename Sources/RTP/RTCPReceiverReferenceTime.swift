/// Receiver Reference Time report block (RFC 3611 §4.4, block type 4): a receiver's NTP
/// wallclock time when it sent the XR packet, so that a sender can echo it in a DLRR block and
/// the receiver can measure the round trip although it sends no sender reports.
public struct RTCPReceiverReferenceTime: Hashable, Sendable {
    public static let blockType: UInt8 = 4
    /// Block length field: two 32-bit words after the block header.
    static let blockLength: UInt16 = 2

    /// 64-bit NTP timestamp (seconds in the high 32 bits, fraction in the low 32).
    public var ntpTimestamp: UInt64

    public init(ntpTimestamp: UInt64) {
        self.ntpTimestamp = ntpTimestamp
    }

    /// The middle 32 bits of the timestamp, as a DLRR sub-block's LRR field echoes them.
    public var compactNTPTimestamp: UInt32 { UInt32(truncatingIfNeeded: ntpTimestamp >> 16) }

    /// Reads the block body (the block header already read) of `length` 32-bit words.
    init(reading reader: inout RTCPReader, length: UInt16) throws(RTCPParseError) {
        guard length == Self.blockLength else { throw .malformed(packetType: RTCPPacketType.extendedReport) }
        let high = try reader.uint32()
        let low = try reader.uint32()
        ntpTimestamp = UInt64(high) << 32 | UInt64(low)
    }

    func append(to bytes: inout [UInt8]) {
        bytes.append(Self.blockType)
        bytes.append(0)
        bytes.appendUInt16(Self.blockLength)
        bytes.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp))
    }
}
