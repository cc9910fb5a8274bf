/// Picture loss indication (RFC 4585 §6.3.1: PSFB, FMT 1, no FCI).
public struct RTCPPictureLossIndication: Hashable, Sendable {
    public static let format: UInt8 = 1
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        senderSSRC = try reader.uint32()
        mediaSSRC = try reader.uint32()
    }

    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: Self.format, packetType: RTCPPacketType.payloadFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        RTCPWriter.finish(&bytes, start: start)
    }
}
