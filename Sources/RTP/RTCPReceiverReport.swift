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
