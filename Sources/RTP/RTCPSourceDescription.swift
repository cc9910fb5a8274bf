/// One SDES item (RFC 3550 §6.5): type (1 = CNAME) and up to 255 bytes of text.
public struct RTCPSourceDescriptionItem: Hashable, Sendable {
    public static let cnameType: UInt8 = 1
    public var type: UInt8
    public var value: [UInt8]

    public init(type: UInt8, value: [UInt8]) {
        self.type = type
        self.value = value
    }
}

/// One SDES chunk: a source and its items.
public struct RTCPSourceDescriptionChunk: Hashable, Sendable {
    public var ssrc: UInt32
    public var items: [RTCPSourceDescriptionItem]

    public init(ssrc: UInt32, items: [RTCPSourceDescriptionItem]) {
        self.ssrc = ssrc
        self.items = items
    }

    /// A chunk holding only a CNAME.
    public init(ssrc: UInt32, cname: String) {
        self.init(ssrc: ssrc, items: [RTCPSourceDescriptionItem(type: RTCPSourceDescriptionItem.cnameType, value: Array(cname.utf8.prefix(255)))])
    }

    /// The CNAME item decoded as UTF-8, if present.
    public var cname: String? {
        items.first { $0.type == RTCPSourceDescriptionItem.cnameType }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

/// Source description (RFC 3550 §6.5, PT 202).
public struct RTCPSourceDescription: Hashable, Sendable {
    /// At most 31.
    public var chunks: [RTCPSourceDescriptionChunk]

    public init(chunks: [RTCPSourceDescriptionChunk]) { self.chunks = chunks }

    init(reading reader: inout RTCPReader, count: UInt8) throws(RTCPParseError) {
        chunks = []
        for _ in 0..<count {
            var chunk = RTCPSourceDescriptionChunk(ssrc: try reader.uint32(), items: [])
            while true {
                let type = try reader.uint8()
                if type == 0 { break }
                let length = Int(try reader.uint8())
                chunk.items.append(RTCPSourceDescriptionItem(type: type, value: try reader.bytes(length)))
            }
            // Chunks are 32-bit aligned relative to the packet; the header is 4 bytes.
            while (reader.offset - reader.bytes.startIndex) % 4 != 0, reader.remaining > 0 { reader.offset += 1 }
            chunks.append(chunk)
        }
    }

    /// Appends the packet; chunks beyond 31 and item values beyond 255 bytes are truncated.
    public func append(to bytes: inout [UInt8]) {
        let kept = chunks.prefix(31)
        let start = RTCPWriter.begin(&bytes, countOrFormat: UInt8(kept.count), packetType: RTCPPacketType.sourceDescription)
        for chunk in kept {
            bytes.appendUInt32(chunk.ssrc)
            for item in chunk.items where item.type != 0 {
                let value = item.value.prefix(255)
                bytes.append(item.type)
                bytes.append(UInt8(value.count))
                bytes.append(contentsOf: value)
            }
            // Null item, then pad the chunk to a 32-bit boundary (at least one zero byte).
            bytes.append(0)
            while (bytes.count - start) % 4 != 0 { bytes.append(0) }
        }
        RTCPWriter.finish(&bytes, start: start)
    }
}
