/// Sender report (RFC 3550 §6.4.1, PT 200). Profile-specific extensions are ignored.
public struct RTCPSenderReport: Hashable, Sendable {
    public var ssrc: UInt32
    /// 64-bit NTP timestamp (seconds since 1900 in 32.32 fixed point).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    /// At most 31.
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// The middle 32 bits of the NTP timestamp, as echoed in LSR.
    public var compactNTPTimestamp: UInt32 { UInt32(truncatingIfNeeded: ntpTimestamp >> 16) }

    init(reading reader: inout RTCPReader, count: UInt8) throws(RTCPParseError) {
        ssrc = try reader.uint32()
        ntpTimestamp = UInt64(try reader.uint32()) << 32 | UInt64(try reader.uint32())
        rtpTimestamp = try reader.uint32()
        packetCount = try reader.uint32()
        octetCount = try reader.uint32()
        guard reader.remaining >= 24 * Int(count) else { throw .malformed(packetType: RTCPPacketType.senderReport) }
        reportBlocks = []
        for _ in 0..<count { reportBlocks.append(try RTCPReportBlock(reading: &reader)) }
    }

    /// Appends the packet; report blocks beyond 31 are dropped.
    public func append(to bytes: inout [UInt8]) {
        let blocks = reportBlocks.prefix(31)
        let start = RTCPWriter.begin(&bytes, countOrFormat: UInt8(blocks.count), packetType: RTCPPacketType.senderReport)
        bytes.appendUInt32(ssrc)
        bytes.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp))
        bytes.appendUInt32(rtpTimestamp)
        bytes.appendUInt32(packetCount)
        bytes.appendUInt32(octetCount)
        for block in blocks { block.append(to: &bytes) }
        RTCPWriter.finish(&bytes, start: start)
    }
}
