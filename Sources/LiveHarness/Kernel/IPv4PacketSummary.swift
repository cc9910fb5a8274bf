/// What the kernel relay needs from a raw IP packet read from a TUN device: the IPv4 header's
/// addresses and protocol (RFC 791 §3.1) and, for UDP (RFC 768) and TCP (RFC 9293 §3.1), the
/// ports, which come first in both headers. Nothing is copied or changed: the relay forwards the
/// packet as it was read, so every checksum stays valid.
public struct IPv4PacketSummary: Sendable, Hashable {
    /// IANA protocol numbers the relay tells apart.
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17

    /// The header's protocol field (6 TCP, 17 UDP, 1 ICMP...).
    public var protocolNumber: UInt8
    /// Source and destination addresses, host byte order.
    public var source: UInt32
    public var destination: UInt32
    /// UDP or TCP ports; nil for other protocols and for fragments after the first.
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// The header's total length, bytes (the whole packet).
    public var totalLength: Int

    /// Why bytes are not an IPv4 packet the relay can route.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The version nibble is not 4 (IPv6 router solicitations and the like).
        case notIPv4(version: UInt8)
        /// Fewer bytes than a header, its options, the total length or a UDP/TCP port pair need.
        case truncated(bytes: Int, needed: Int)
        /// IHL below 5 words, or a total length shorter than the header.
        case badHeader(String)

        public var description: String {
            switch self {
            case .notIPv4(let version): "IP version \(version), not 4"
            case .truncated(let bytes, let needed): "\(bytes) bytes where \(needed) are needed"
            case .badHeader(let reason): "bad IPv4 header: \(reason)"
            }
        }
    }

    /// Parses the headers of `packet` (one whole packet, as one TUN read returns it).
    public init(parsing packet: UnsafeRawBufferPointer) throws(ParseError) {
        guard let first = packet.first else { throw .truncated(bytes: 0, needed: 20) }
        let version = first >> 4
        guard version == 4 else { throw .notIPv4(version: version) }
        guard packet.count >= 20 else { throw .truncated(bytes: packet.count, needed: 20) }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20 else { throw .badHeader("IHL \(headerLength / 4) words, at least 5") }
        let total = Int(packet[2]) << 8 | Int(packet[3])
        guard total >= headerLength else { throw .badHeader("total length \(total) shorter than the \(headerLength)-byte header") }
        guard packet.count >= total else { throw .truncated(bytes: packet.count, needed: total) }
        totalLength = total
        protocolNumber = packet[9]
        source = Self.address(packet, at: 12)
        destination = Self.address(packet, at: 16)
        let fragmentOffset = (Int(packet[6]) << 8 | Int(packet[7])) & 0x1FFF
        guard protocolNumber == Self.tcp || protocolNumber == Self.udp, fragmentOffset == 0 else { return }
        guard total >= headerLength + 4 else { throw .truncated(bytes: total, needed: headerLength + 4) }
        sourcePort = UInt16(packet[headerLength]) << 8 | UInt16(packet[headerLength + 1])
        destinationPort = UInt16(packet[headerLength + 2]) << 8 | UInt16(packet[headerLength + 3])
    }

    /// Parses the headers of `packet`.
    public init(parsing packet: [UInt8]) throws(ParseError) {
        let parsed = packet.withUnsafeBytes { bytes in Result { () throws(ParseError) in try Self(parsing: bytes) } }
        self = try parsed.get()
    }

    private static func address(_ packet: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(packet[offset]) << 24 | UInt32(packet[offset + 1]) << 16 | UInt32(packet[offset + 2]) << 8 | UInt32(packet[offset + 3])
    }
}
