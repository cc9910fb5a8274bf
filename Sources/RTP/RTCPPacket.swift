/// One packet of an RTCP compound (RFC 3550 §6, RFC 4585, RFC 5104, RFC 3611 XR, REMB, transport-cc).
public enum RTCPPacket: Hashable, Sendable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sdes(RTCPSourceDescription)
    case bye(RTCPBye)
    case nack(RTCPGenericNACK)
    case pli(RTCPPictureLossIndication)
    case fir(RTCPFullIntraRequest)
    case remb(RTCPREMB)
    case transportFeedback(RTCPTransportFeedback)
    case extendedReport(RTCPExtendedReport)
    case unknown(RTCPUnknownPacket)

    /// Parses one packet given its header (from ``RTCPCompoundIterator``).
    public init(parsing bytes: UnsafeRawBufferPointer, header: RTCPPacketHeader) throws(RTCPParseError) {
        var reader = RTCPReader(bytes, header)
        let count = header.countOrFormat
        switch (header.packetType, count) {
        case (RTCPPacketType.senderReport, _):
            self = .senderReport(try RTCPSenderReport(reading: &reader, count: count))
        case (RTCPPacketType.receiverReport, _):
            self = .receiverReport(try RTCPReceiverReport(reading: &reader, count: count))
        case (RTCPPacketType.sourceDescription, _):
            self = .sdes(try RTCPSourceDescription(reading: &reader, count: count))
        case (RTCPPacketType.bye, _):
            self = .bye(try RTCPBye(reading: &reader, count: count))
        case (RTCPPacketType.extendedReport, _):
            self = .extendedReport(try RTCPExtendedReport(reading: &reader))
        case (RTCPPacketType.transportFeedback, RTCPGenericNACK.format):
            self = .nack(try RTCPGenericNACK(reading: &reader))
        case (RTCPPacketType.transportFeedback, RTCPTransportFeedback.format):
            self = .transportFeedback(try RTCPTransportFeedback(reading: &reader))
        case (RTCPPacketType.payloadFeedback, RTCPPictureLossIndication.format):
            self = .pli(try RTCPPictureLossIndication(reading: &reader))
        case (RTCPPacketType.payloadFeedback, RTCPFullIntraRequest.format):
            self = .fir(try RTCPFullIntraRequest(reading: &reader))
        case (RTCPPacketType.payloadFeedback, RTCPREMB.format) where RTCPREMB.hasIdentifier(reader):
            self = .remb(try RTCPREMB(reading: &reader))
        default:
            self = .unknown(RTCPUnknownPacket(packetType: header.packetType, countOrFormat: count, bytes: Array(bytes[header.range])))
        }
    }

    /// Parses every packet of a compound buffer; the first malformed packet fails the whole buffer.
    public static func parseCompound(_ bytes: UnsafeRawBufferPointer) throws(RTCPParseError) -> [RTCPPacket] {
        var packets: [RTCPPacket] = []
        for result in RTCPCompoundIterator(bytes) {
            packets.append(try RTCPPacket(parsing: bytes, header: try result.get()))
        }
        return packets
    }

    /// Array convenience for ``parseCompound(_:)-(UnsafeRawBufferPointer)``.
    public static func parseCompound(_ bytes: [UInt8]) throws(RTCPParseError) -> [RTCPPacket] {
        let result: Result<[RTCPPacket], RTCPParseError> = bytes.withUnsafeBytes { raw in
            do throws(RTCPParseError) { return .success(try parseCompound(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Appends this packet's wire form (length field and padding filled in).
    public func append(to bytes: inout [UInt8]) {
        switch self {
        case .senderReport(let packet): packet.append(to: &bytes)
        case .receiverReport(let packet): packet.append(to: &bytes)
        case .sdes(let packet): packet.append(to: &bytes)
        case .bye(let packet): packet.append(to: &bytes)
        case .nack(let packet): packet.append(to: &bytes)
        case .pli(let packet): packet.append(to: &bytes)
        case .fir(let packet): packet.append(to: &bytes)
        case .remb(let packet): packet.append(to: &bytes)
        case .transportFeedback(let packet): packet.append(to: &bytes)
        case .extendedReport(let packet): packet.append(to: &bytes)
        case .unknown(let packet): bytes.append(contentsOf: packet.bytes)
        }
    }

    /// The wire form of a single packet.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    /// A compound packet: the packets' wire forms concatenated, in order. RFC 3550 §6.1 wants
    /// an SR or RR first and an SDES with CNAME; RFC 5506 reduced-size RTCP allows otherwise.
    public static func serializeCompound(_ packets: [RTCPPacket]) -> [UInt8] {
        var out: [UInt8] = []
        // One allocation for the usual compound packet instead of one per doubling.
        out.reserveCapacity(512)
        for packet in packets { packet.append(to: &out) }
        return out
    }

    /// Writes a compound packet into a caller buffer; returns its length, or nil when too small.
    public static func writeCompound(_ packets: [RTCPPacket], into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let bytes = serializeCompound(packets)
        guard bytes.count <= buffer.count else { return nil }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return bytes.count
    }
}
