/// RTCP packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1).
public enum RTCPPacketType {
    public static let senderReport: UInt8 = 200
    public static let receiverReport: UInt8 = 201
    public static let sourceDescription: UInt8 = 202
    public static let bye: UInt8 = 203
    public static let application: UInt8 = 204
    /// Transport-layer feedback (RFC 4585): NACK (FMT 1), transport-cc (FMT 15).
    public static let transportFeedback: UInt8 = 205
    /// Payload-specific feedback (RFC 4585): PLI (FMT 1), FIR (FMT 4), REMB (FMT 15).
    public static let payloadFeedback: UInt8 = 206
}

/// The common header of one RTCP packet in a compound buffer (RFC 3550 §6.4.1), plus where
/// its body lies. Parsed without allocating.
public struct RTCPPacketHeader: Hashable, Sendable {
    public var hasPadding: Bool
    /// RC / SC / FMT: the 5-bit field after the P bit.
    public var countOrFormat: UInt8
    public var packetType: UInt8
    /// Offsets of the whole packet (header through padding) in the compound buffer.
    public var range: Range<Int>
    /// Offsets of the body after the 4-byte header, padding excluded.
    public var bodyRange: Range<Int>

    public init(hasPadding: Bool, countOrFormat: UInt8, packetType: UInt8, range: Range<Int>, bodyRange: Range<Int>) {
        self.hasPadding = hasPadding
        self.countOrFormat = countOrFormat
        self.packetType = packetType
        self.range = range
        self.bodyRange = bodyRange
    }

    /// Parses the header of the packet starting at `offset` in `bytes`.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer, at offset: Int) throws(RTCPParseError) {
        guard offset >= 0, offset + 4 <= bytes.count else { throw .tooShort }
        let first = bytes[offset]
        guard first >> 6 == 2 else { throw .badVersion }
        let length = (Int(readUInt16(bytes, offset + 2)) + 1) * 4
        guard offset + length <= bytes.count else { throw .badLength }
        let end = offset + length
        var bodyEnd = end
        let hasPadding = first & 0x20 != 0
        if hasPadding {
            let padding = Int(bytes[end - 1])
            guard padding > 0, padding <= length - 4 else { throw .badPadding }
            bodyEnd -= padding
        }
        self.init(
            hasPadding: hasPadding, countOrFormat: first & 0x1F, packetType: bytes[offset + 1],
            range: offset..<end, bodyRange: (offset + 4)..<bodyEnd)
    }
}

/// Non-allocating iteration over the packets of an RTCP compound buffer. Yields each header,
/// or one error and then stops.
public struct RTCPCompoundIterator: Sequence, IteratorProtocol {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset = 0
    @usableFromInline var failed = false

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    public mutating func next() -> Result<RTCPPacketHeader, RTCPParseError>? {
        guard !failed, offset < bytes.count else { return nil }
        do throws(RTCPParseError) {
            let header = try RTCPPacketHeader(parsing: bytes, at: offset)
            offset = header.range.upperBound
            return .success(header)
        } catch {
            failed = true
            return .failure(error)
        }
    }
}

/// Helpers for writing one RTCP packet into a byte array.
enum RTCPWriter {
    /// Appends a common header with a placeholder length; returns the packet's start offset.
    static func begin(_ bytes: inout [UInt8], countOrFormat: UInt8, packetType: UInt8) -> Int {
        let start = bytes.count
        bytes.append(0x80 | (countOrFormat & 0x1F))
        bytes.append(packetType)
        bytes.appendUInt16(0)
        return start
    }

    /// Zero-pads to a 32-bit boundary and fills in the length field.
    static func finish(_ bytes: inout [UInt8], start: Int) {
        while (bytes.count - start) % 4 != 0 { bytes.append(0) }
        let words = (bytes.count - start) / 4 - 1
        bytes[start + 2] = UInt8(truncatingIfNeeded: words >> 8)
        bytes[start + 3] = UInt8(truncatingIfNeeded: words)
    }
}

/// A body reader with bounds-checked, throwing reads (RTCP parse may throw, never trap).
struct RTCPReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let end: Int
    let packetType: UInt8

    init(_ bytes: UnsafeRawBufferPointer, _ header: RTCPPacketHeader) {
        self.bytes = bytes
        self.offset = header.bodyRange.lowerBound
        self.end = header.bodyRange.upperBound
        self.packetType = header.packetType
    }

    var remaining: Int { end - offset }

    mutating func uint8() throws(RTCPParseError) -> UInt8 {
        guard offset + 1 <= end else { throw .tooShort }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() throws(RTCPParseError) -> UInt16 {
        guard offset + 2 <= end else { throw .tooShort }
        defer { offset += 2 }
        return readUInt16(bytes, offset)
    }

    mutating func uint24() throws(RTCPParseError) -> UInt32 {
        guard offset + 3 <= end else { throw .tooShort }
        defer { offset += 3 }
        return readUInt24(bytes, offset)
    }

    mutating func uint32() throws(RTCPParseError) -> UInt32 {
        guard offset + 4 <= end else { throw .tooShort }
        defer { offset += 4 }
        return readUInt32(bytes, offset)
    }

    mutating func bytes(_ count: Int) throws(RTCPParseError) -> [UInt8] {
        guard count >= 0, offset + count <= end else { throw .tooShort }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
