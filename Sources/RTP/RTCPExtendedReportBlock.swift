/// One report block of an RTCP XR packet (RFC 3611 §3): the two this module interprets, and
/// any other kept as it came.
public enum RTCPExtendedReportBlock: Hashable, Sendable {
    case receiverReferenceTime(RTCPReceiverReferenceTime)
    case delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport)
    /// A block type this module does not interpret: its type-specific byte and body.
    case unknown(blockType: UInt8, typeSpecific: UInt8, body: [UInt8])

    /// Reads one block (header and body); a block running past the packet is malformed.
    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        let blockType = try reader.uint8()
        let typeSpecific = try reader.uint8()
        let length = try reader.uint16()
        guard reader.remaining >= Int(length) * 4 else { throw .malformed(packetType: RTCPPacketType.extendedReport) }
        switch blockType {
        case RTCPReceiverReferenceTime.blockType:
            self = .receiverReferenceTime(try RTCPReceiverReferenceTime(reading: &reader, length: length))
        case RTCPDelaySinceLastReceiverReport.blockType:
            self = .delaySinceLastReceiverReport(try RTCPDelaySinceLastReceiverReport(reading: &reader, length: length))
        default:
            self = .unknown(blockType: blockType, typeSpecific: typeSpecific, body: try reader.bytes(Int(length) * 4))
        }
    }

    /// Appends the block; an unknown block's body is zero-padded to whole words and cut at the
    /// largest length the 16-bit field can state.
    func append(to bytes: inout [UInt8]) {
        switch self {
        case .receiverReferenceTime(let block): block.append(to: &bytes)
        case .delaySinceLastReceiverReport(let block): block.append(to: &bytes)
        case .unknown(let blockType, let typeSpecific, let body):
            let kept = body.prefix(Int(UInt16.max) * 4)
            let words = (kept.count + 3) / 4
            bytes.append(blockType)
            bytes.append(typeSpecific)
            bytes.appendUInt16(UInt16(words))
            bytes.append(contentsOf: kept)
            bytes.append(contentsOf: repeatElement(0, count: words * 4 - kept.count))
        }
    }
}
