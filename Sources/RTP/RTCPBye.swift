/// Goodbye (RFC 3550 §6.6, PT 203).
public struct RTCPBye: Hashable, Sendable {
    /// At most 31 sources.
    public var ssrcs: [UInt32]
    /// Optional reason text (at most 255 bytes).
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    init(reading reader: inout RTCPReader, count: UInt8) throws(RTCPParseError) {
        ssrcs = []
        for _ in 0..<count { ssrcs.append(try reader.uint32()) }
        reason = nil
        if reader.remaining > 0 {
            let length = Int(try reader.uint8())
            reason = try reader.bytes(length)
        }
    }

    public func append(to bytes: inout [UInt8]) {
        let kept = ssrcs.prefix(31)
        let start = RTCPWriter.begin(&bytes, countOrFormat: UInt8(kept.count), packetType: RTCPPacketType.bye)
        for ssrc in kept { bytes.appendUInt32(ssrc) }
        if let reason {
            let text = reason.prefix(255)
            bytes.append(UInt8(text.count))
            bytes.append(contentsOf: text)
        }
        RTCPWriter.finish(&bytes, start: start)
    }
}
