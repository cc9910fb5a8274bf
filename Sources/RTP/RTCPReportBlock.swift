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

/// Receiver report (RFC 3550 §6.4.2, PT 201).
public struct RTCPReceiverReport: Hashable, Sendable {
    public var ssrc: UInt32
    /// At most 31.
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    init(reading reader: inout RTCPReader, count: UInt8) throws(RTCPParseError) {
        ssrc = try reader.uint32()
        guard reader.remaining >= 24 * Int(count) else { throw .malformed(packetType: RTCPPacketType.receiverReport) }
        reportBlocks = []
        for _ in 0..<count { reportBlocks.append(try RTCPReportBlock(reading: &reader)) }
    }

    /// Appends the packet; report blocks beyond 31 are dropped.
    public func append(to bytes: inout [UInt8]) {
        let blocks = reportBlocks.prefix(31)
        let start = RTCPWriter.begin(&bytes, countOrFormat: UInt8(blocks.count), packetType: RTCPPacketType.receiverReport)
        bytes.appendUInt32(ssrc)
        for block in blocks { block.append(to: &bytes) }
        RTCPWriter.finish(&bytes, start: start)
    }
}
