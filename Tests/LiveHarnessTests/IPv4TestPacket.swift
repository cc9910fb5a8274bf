/// Builds IPv4 packets (RFC 791) carrying a UDP or TCP header for the relay's tests, with a
/// valid header checksum; the transport payload is opaque bytes.
enum IPv4TestPacket {
    static func address(_ text: String) -> UInt32 {
        text.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
    }

    /// An IPv4 packet from `source:sourcePort` to `destination:destinationPort`; `transport` is the
    /// protocol number (17 UDP, 6 TCP, 1 ICMP: no ports then), `fragmentOffset` in 8-byte units.
    static func make(protocolNumber: UInt8 = 17, from source: String, _ sourcePort: UInt16, to destination: String,
                     _ destinationPort: UInt16, payload: [UInt8] = Array(repeating: 0xAB, count: 32), fragmentOffset: UInt16 = 0) -> [UInt8] {
        var transport: [UInt8] = []
        if fragmentOffset == 0 && (protocolNumber == 17 || protocolNumber == 6) {
            transport = [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF)]
            // UDP length and checksum, or the rest of a 20-byte TCP header (left zero: the relay does not read it).
            transport += Array(repeating: 0, count: protocolNumber == 17 ? 4 : 16)
        }
        transport += payload
        let total = 20 + transport.count
        let source = address(source), destination = address(destination)
        var header: [UInt8] = [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF),
            0x12, 0x34, UInt8(fragmentOffset >> 8), UInt8(fragmentOffset & 0xFF),
            64, protocolNumber, 0, 0,
            UInt8(source >> 24), UInt8(source >> 16 & 0xFF), UInt8(source >> 8 & 0xFF), UInt8(source & 0xFF),
            UInt8(destination >> 24), UInt8(destination >> 16 & 0xFF), UInt8(destination >> 8 & 0xFF), UInt8(destination & 0xFF),
        ]
        var sum: UInt32 = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(header[index]) << 8 | UInt32(header[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + transport
    }
}
