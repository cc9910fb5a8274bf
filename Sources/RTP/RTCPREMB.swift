/// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2: PSFB, FMT 15,
/// identifier "REMB", 6-bit exponent and 18-bit mantissa).
public struct RTCPREMB: Hashable, Sendable {
    public static let format: UInt8 = 15
    public var senderSSRC: UInt32
    /// mantissa << exponent; saturates at UInt64.max when the wire value overflows.
    public var bitrateBitsPerSecond: UInt64
    /// The media sources the estimate applies to (at most 255).
    public var ssrcs: [UInt32]

    public init(senderSSRC: UInt32, bitrateBitsPerSecond: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrateBitsPerSecond = bitrateBitsPerSecond
        self.ssrcs = ssrcs
    }

    /// The (exponent, mantissa) pair the bitrate is written as: the smallest exponent whose
    /// mantissa fits 18 bits (so precision is lost, rounding down, above 2^18 bps).
    public static func encode(bitrateBitsPerSecond: UInt64) -> (exponent: UInt8, mantissa: UInt32) {
        var exponent: UInt8 = 0
        var mantissa = bitrateBitsPerSecond
        while mantissa > 0x3FFFF {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    /// The bitrate a REMB packet carries after encoding (what a parser will read back).
    public static func quantized(bitrateBitsPerSecond: UInt64) -> UInt64 {
        let (exponent, mantissa) = encode(bitrateBitsPerSecond: bitrateBitsPerSecond)
        return UInt64(mantissa) << exponent
    }

    /// True when the payload-specific FMT-15 body at the reader's position starts with "REMB".
    static func hasIdentifier(_ reader: RTCPReader) -> Bool {
        let at = reader.offset + 8
        guard at + 4 <= reader.end else { return false }
        return reader.bytes[at] == 0x52 && reader.bytes[at + 1] == 0x45 && reader.bytes[at + 2] == 0x4D && reader.bytes[at + 3] == 0x42
    }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        senderSSRC = try reader.uint32()
        _ = try reader.uint32()  // media SSRC, always 0
        guard try reader.uint32() == 0x5245_4D42 else { throw .malformed(packetType: RTCPPacketType.payloadFeedback) }
        let count = Int(try reader.uint8())
        let exponentAndMantissa = try reader.uint24()
        let exponent = exponentAndMantissa >> 18
        let mantissa = UInt64(exponentAndMantissa & 0x3FFFF)
        if mantissa != 0 && exponent > UInt32(mantissa.leadingZeroBitCount) {
            bitrateBitsPerSecond = .max
        } else {
            bitrateBitsPerSecond = mantissa << exponent
        }
        guard reader.remaining >= 4 * count else { throw .malformed(packetType: RTCPPacketType.payloadFeedback) }
        ssrcs = []
        for _ in 0..<count { ssrcs.append(try reader.uint32()) }
    }

    /// Appends the packet; the bitrate is quantized (see ``encode(bitrateBitsPerSecond:)``).
    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: Self.format, packetType: RTCPPacketType.payloadFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(0)
        bytes.appendUInt32(0x5245_4D42)
        let kept = ssrcs.prefix(255)
        bytes.append(UInt8(kept.count))
        let (exponent, mantissa) = Self.encode(bitrateBitsPerSecond: bitrateBitsPerSecond)
        bytes.appendUInt24(UInt32(exponent) << 18 | mantissa)
        for ssrc in kept { bytes.appendUInt32(ssrc) }
        RTCPWriter.finish(&bytes, start: start)
    }
}
