/// One FIR FCI entry (RFC 5104 §4.3.1.1): the source to refresh and the command sequence number.
public struct RTCPFullIntraRequestEntry: Hashable, Sendable {
    public var ssrc: UInt32
    /// Incremented by the requester for each new request (mod 256).
    public var sequenceNumber: UInt8

    public init(ssrc: UInt32, sequenceNumber: UInt8) {
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
    }
}

/// Full intra request (RFC 5104 §4.3.1: PSFB, FMT 4; the media SSRC field is 0).
public struct RTCPFullIntraRequest: Hashable, Sendable {
    public static let format: UInt8 = 4
    public var senderSSRC: UInt32
    public var entries: [RTCPFullIntraRequestEntry]

    public init(senderSSRC: UInt32, entries: [RTCPFullIntraRequestEntry]) {
        self.senderSSRC = senderSSRC
        self.entries = entries
    }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        senderSSRC = try reader.uint32()
        _ = try reader.uint32()
        entries = []
        while reader.remaining >= 8 {
            let ssrc = try reader.uint32()
            let sequence = try reader.uint8()
            _ = try reader.uint24()
            entries.append(RTCPFullIntraRequestEntry(ssrc: ssrc, sequenceNumber: sequence))
        }
    }

    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: Self.format, packetType: RTCPPacketType.payloadFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(0)
        for entry in entries {
            bytes.appendUInt32(entry.ssrc)
            bytes.append(entry.sequenceNumber)
            bytes.appendUInt24(0)
        }
        RTCPWriter.finish(&bytes, start: start)
    }
}
