/// One generic NACK FCI entry (RFC 4585 §6.2.1): PID lost, plus the bitmask BLP of the next 16.
public struct RTCPNACKItem: Hashable, Sendable {
    public var packetID: UInt16
    /// Bit i set: packet `packetID + i + 1` is lost too.
    public var bitmaskOfLostPackets: UInt16

    public init(packetID: UInt16, bitmaskOfLostPackets: UInt16) {
        self.packetID = packetID
        self.bitmaskOfLostPackets = bitmaskOfLostPackets
    }

    /// The sequence numbers this item reports lost, in order.
    public var lostSequenceNumbers: [UInt16] {
        var result = [packetID]
        for bit in 0..<16 where bitmaskOfLostPackets & (1 << bit) != 0 {
            result.append(packetID &+ UInt16(bit + 1))
        }
        return result
    }
}

/// Generic NACK (RFC 4585 §6.2.1: RTPFB, FMT 1).
public struct RTCPGenericNACK: Hashable, Sendable {
    public static let format: UInt8 = 1
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var items: [RTCPNACKItem]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, items: [RTCPNACKItem]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.items = items
    }

    /// Compresses `lostSequenceNumbers` (in send order, wrap-aware) into PID/BLP items: each item
    /// starts at the first number not yet covered and covers the 16 that follow it.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: [UInt16]) {
        var items: [RTCPNACKItem] = []
        for sequence in lostSequenceNumbers {
            if var last = items.last {
                let distance = Int(sequence &- last.packetID)
                if distance == 0 { continue }
                if distance >= 1 && distance <= 16 {
                    last.bitmaskOfLostPackets |= 1 << (distance - 1)
                    items[items.count - 1] = last
                    continue
                }
            }
            items.append(RTCPNACKItem(packetID: sequence, bitmaskOfLostPackets: 0))
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, items: items)
    }

    /// All sequence numbers reported lost, item by item.
    public var lostSequenceNumbers: [UInt16] { items.flatMap(\.lostSequenceNumbers) }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        senderSSRC = try reader.uint32()
        mediaSSRC = try reader.uint32()
        items = []
        while reader.remaining >= 4 {
            items.append(RTCPNACKItem(packetID: try reader.uint16(), bitmaskOfLostPackets: try reader.uint16()))
        }
    }

    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: Self.format, packetType: RTCPPacketType.transportFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        for item in items {
            bytes.appendUInt16(item.packetID)
            bytes.appendUInt16(item.bitmaskOfLostPackets)
        }
        RTCPWriter.finish(&bytes, start: start)
    }
}
