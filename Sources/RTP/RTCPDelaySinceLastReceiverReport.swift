/// One DLRR sub-block (RFC 3611 §4.5): the answer to the last RRTR received from `ssrc`.
public struct RTCPDelaySinceLastReceiverReportItem: Hashable, Sendable {
    /// The SSRC of the receiver whose RRTR this answers (the RRTR's XR packet SSRC).
    public var ssrc: UInt32
    /// LRR: the middle 32 bits of that RRTR's NTP timestamp, 0 when none was received.
    public var lastReceiverReport: UInt32
    /// DLRR: the delay from receiving that RRTR to sending this block, in 1/65536 s.
    public var delaySinceLastReceiverReport: UInt32

    public init(ssrc: UInt32, lastReceiverReport: UInt32, delaySinceLastReceiverReport: UInt32) {
        self.ssrc = ssrc
        self.lastReceiverReport = lastReceiverReport
        self.delaySinceLastReceiverReport = delaySinceLastReceiverReport
    }
}

/// DLRR report block (RFC 3611 §4.5, block type 5): a sender's answers to receivers' RRTR
/// blocks, from which each receiver computes its round trip as A − LRR − DLRR.
public struct RTCPDelaySinceLastReceiverReport: Hashable, Sendable {
    public static let blockType: UInt8 = 5
    /// Most sub-blocks one block can carry (the 16-bit block length counts 3 words each).
    public static let maximumItems = Int(UInt16.max) / 3

    public var items: [RTCPDelaySinceLastReceiverReportItem]

    public init(items: [RTCPDelaySinceLastReceiverReportItem]) {
        self.items = items
    }

    /// Reads the block body (the block header already read) of `length` 32-bit words.
    init(reading reader: inout RTCPReader, length: UInt16) throws(RTCPParseError) {
        guard length % 3 == 0 else { throw .malformed(packetType: RTCPPacketType.extendedReport) }
        items = []
        for _ in 0..<(Int(length) / 3) {
            let ssrc = try reader.uint32()
            let lastReceiverReport = try reader.uint32()
            let delay = try reader.uint32()
            items.append(RTCPDelaySinceLastReceiverReportItem(ssrc: ssrc, lastReceiverReport: lastReceiverReport,
                                                              delaySinceLastReceiverReport: delay))
        }
    }

    /// Appends the block; sub-blocks beyond ``maximumItems`` are dropped.
    func append(to bytes: inout [UInt8]) {
        let kept = items.prefix(Self.maximumItems)
        bytes.append(Self.blockType)
        bytes.append(0)
        bytes.appendUInt16(UInt16(kept.count * 3))
        for item in kept {
            bytes.appendUInt32(item.ssrc)
            bytes.appendUInt32(item.lastReceiverReport)
            bytes.appendUInt32(item.delaySinceLastReceiverReport)
        }
    }
}
