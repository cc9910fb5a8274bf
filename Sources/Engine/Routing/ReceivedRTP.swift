import RTP

/// One received RTP packet as the engine's receive path reads it: the fixed header fields
/// (RFC 3550 §5.1), where its payload sits, and where the header extensions the path reads sit
/// (RFC 8285, as `ReceivedExtensions`), found in one pass over the header instead of parsing
/// an `RTPHeader` and then walking its extension block again.
///
/// A packet is accepted and rejected exactly as `RTPHeader(parsing:)` does, and the extension
/// offsets are those `ReceivedExtensions(packet:header:)` finds; it is smaller than the two
/// together, so passing it down the forwarding path copies less.
struct ReceivedRTP {
    var ssrc: UInt32
    var timestamp: UInt32
    var sequenceNumber: UInt16
    /// 7-bit payload type.
    var payloadType: UInt8
    /// M bit.
    var marker: Bool
    /// X bit: the packet has an extension block (of any profile).
    var hasExtensionBlock: Bool
    /// Offset of the payload: fixed header, CSRCs and extension block come before it.
    var payloadStart: Int
    /// Offset just past the payload (where the padding, if any, starts).
    var payloadEnd: Int
    /// The extensions the receive path reads.
    var extensions: ReceivedExtensions

    /// Offsets of the payload.
    var payloadRange: Range<Int> { payloadStart..<payloadEnd }

    /// Payload size in bytes.
    var payloadLength: Int { payloadEnd - payloadStart }

    /// Parses the packet in `bytes`, or nil when `RTPHeader(parsing:)` would reject it.
    @inline(__always)
    init?(parsing bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard count >= 12 else { return nil }
        let first = bytes[0]
        guard first >> 6 == 2 else { return nil }
        var offset = 12 + 4 * Int(first & 0x0F)
        guard offset <= count else { return nil }
        extensions = ReceivedExtensions()
        hasExtensionBlock = first & 0x10 != 0
        if hasExtensionBlock {
            guard offset + 4 <= count else { return nil }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let words = Int(UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3]))
            let start = offset + 4
            let end = start + 4 * words
            guard end <= count else { return nil }
            extensions.walk(RTPHeaderExtensionBlock(profile: profile, range: start..<end), in: bytes)
            offset = end
        }
        var padding = 0
        if first & 0x20 != 0 {
            guard count > offset else { return nil }
            padding = Int(bytes[count - 1])
            guard padding > 0, padding <= count - offset else { return nil }
        }
        let second = bytes[1]
        marker = second & 0x80 != 0
        payloadType = second & 0x7F
        sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        timestamp = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
        ssrc = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian
        payloadStart = offset
        payloadEnd = count - padding
    }
}
