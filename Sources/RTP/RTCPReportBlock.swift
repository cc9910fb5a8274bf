/// A reception report block (RFC 3550 §6.4.1), 24 bytes.
public struct RTCPReportBlock: Hashable, Sendable {
    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction lost since the last report, in 1/256 units.
    public var fractionLost: UInt8
    /// Cumulative packets lost (signed 24-bit: duplicates can make it negative).
    public var cumulativeLost: Int32
    /// Extended highest sequence number received (cycles << 16 | highest).
    public var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter, in RTP timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the last SR's NTP timestamp (LSR).
    public var lastSenderReport: UInt32
    /// Delay since that SR, in 1/65536 seconds (DLSR).
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequenceNumber: UInt32,
        jitter: UInt32, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        ssrc = try reader.uint32()
        fractionLost = try reader.uint8()
        let lost = try reader.uint24()
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8
        extendedHighestSequenceNumber = try reader.uint32()
        jitter = try reader.uint32()
        lastSenderReport = try reader.uint32()
        delaySinceLastSenderReport = try reader.uint32()
    }

    /// Appends the 24 bytes; cumulativeLost is clamped to the signed 24-bit range.
    func append(to bytes: inout [UInt8]) {
        bytes.appendUInt32(ssrc)
        bytes.append(fractionLost)
        let clamped = Swift.min(Swift.max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        bytes.appendUInt24(UInt32(bitPattern: clamped) & 0xFF_FFFF)
        bytes.appendUInt32(extendedHighestSequenceNumber)
        bytes.appendUInt32(jitter)
        bytes.appendUInt32(lastSenderReport)
        bytes.appendUInt32(delaySinceLastSenderReport)
    }
}
