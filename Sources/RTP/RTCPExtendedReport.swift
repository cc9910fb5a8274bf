/// Extended report (RFC 3611, PT 207): the sender's SSRC and a list of report blocks. sfulab
/// uses it for round trips in both directions of a receive-only path: RRTR (block type 4) out,
/// DLRR (block type 5) back.
public struct RTCPExtendedReport: Hashable, Sendable {
    /// The SSRC of the XR packet's originator.
    public var senderSSRC: UInt32
    public var blocks: [RTCPExtendedReportBlock]

    public init(senderSSRC: UInt32, blocks: [RTCPExtendedReportBlock]) {
        self.senderSSRC = senderSSRC
        self.blocks = blocks
    }

    /// Reads the body: the SSRC, then blocks up to the end of the packet (padding excluded).
    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        senderSSRC = try reader.uint32()
        blocks = []
        while reader.remaining > 0 {
            blocks.append(try RTCPExtendedReportBlock(reading: &reader))
        }
    }

    /// The RRTR blocks' timestamps, in order.
    public var receiverReferenceTimes: [RTCPReceiverReferenceTime] {
        blocks.compactMap { if case .receiverReferenceTime(let block) = $0 { block } else { nil } }
    }

    /// Every DLRR sub-block, in order.
    public var delaySinceLastReceiverReportItems: [RTCPDelaySinceLastReceiverReportItem] {
        blocks.flatMap { block -> [RTCPDelaySinceLastReceiverReportItem] in
            if case .delaySinceLastReceiverReport(let dlrr) = block { dlrr.items } else { [] }
        }
    }

    /// Appends the packet (reserved header bits 0).
    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: 0, packetType: RTCPPacketType.extendedReport)
        bytes.appendUInt32(senderSSRC)
        for block in blocks { block.append(to: &bytes) }
        RTCPWriter.finish(&bytes, start: start)
    }
}
