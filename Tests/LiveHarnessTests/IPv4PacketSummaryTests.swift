import LiveHarness
import Testing

/// Header parsing the kernel relay classifies packets with (no root needed).
@Suite("IPv4 packet summary")
struct IPv4PacketSummaryTests {
    @Test("UDP: addresses, protocol, ports and total length")
    func udp() throws {
        let packet = IPv4TestPacket.make(from: "198.18.0.1", 40_001, to: "198.18.0.2", 50_002)
        let summary = try IPv4PacketSummary(parsing: packet)
        #expect(summary.protocolNumber == IPv4PacketSummary.udp)
        #expect(summary.source == IPv4TestPacket.address("198.18.0.1"))
        #expect(summary.destination == IPv4TestPacket.address("198.18.0.2"))
        #expect(summary.sourcePort == 40_001)
        #expect(summary.destinationPort == 50_002)
        #expect(summary.totalLength == packet.count)
    }

    @Test("TCP: ports come from the TCP header")
    func tcp() throws {
        let summary = try IPv4PacketSummary(parsing: IPv4TestPacket.make(protocolNumber: 6, from: "198.18.0.2", 443, to: "198.18.0.1", 55_555))
        #expect(summary.protocolNumber == IPv4PacketSummary.tcp)
        #expect(summary.sourcePort == 443)
        #expect(summary.destinationPort == 55_555)
    }

    @Test("ICMP and fragments after the first carry no ports")
    func noPorts() throws {
        let icmp = try IPv4PacketSummary(parsing: IPv4TestPacket.make(protocolNumber: 1, from: "198.18.0.2", 0, to: "198.18.0.1", 0))
        #expect(icmp.sourcePort == nil && icmp.destinationPort == nil)
        let fragment = try IPv4PacketSummary(parsing: IPv4TestPacket.make(from: "198.18.0.1", 1, to: "198.18.0.2", 2, fragmentOffset: 185))
        #expect(fragment.protocolNumber == IPv4PacketSummary.udp)
        #expect(fragment.sourcePort == nil && fragment.destinationPort == nil)
    }

    @Test("header options move the ports")
    func options() throws {
        var packet = IPv4TestPacket.make(from: "198.18.0.1", 1_000, to: "198.18.0.2", 2_000)
        packet[0] = 0x46  // IHL 6: one 4-byte option word before the UDP header
        packet.insert(contentsOf: [1, 1, 1, 0], at: 20)
        let total = packet.count
        packet[2] = UInt8(total >> 8)
        packet[3] = UInt8(total & 0xFF)
        let summary = try IPv4PacketSummary(parsing: packet)
        #expect(summary.sourcePort == 1_000 && summary.destinationPort == 2_000)
    }

    @Test("garbage is rejected with the reason")
    func garbage() {
        let good = IPv4TestPacket.make(from: "198.18.0.1", 1, to: "198.18.0.2", 2)
        #expect(throws: IPv4PacketSummary.ParseError.truncated(bytes: 0, needed: 20)) { try IPv4PacketSummary(parsing: [UInt8]()) }
        #expect(throws: IPv4PacketSummary.ParseError.notIPv4(version: 6)) { try IPv4PacketSummary(parsing: [0x60] + Array(repeating: 0, count: 39)) }
        #expect(throws: IPv4PacketSummary.ParseError.truncated(bytes: 12, needed: 20)) { try IPv4PacketSummary(parsing: Array(good.prefix(12))) }
        #expect(throws: IPv4PacketSummary.ParseError.truncated(bytes: good.count - 1, needed: good.count)) {
            try IPv4PacketSummary(parsing: Array(good.dropLast()))
        }
        var shortIHL = good
        shortIHL[0] = 0x44
        #expect(throws: IPv4PacketSummary.ParseError.self) { try IPv4PacketSummary(parsing: shortIHL) }
        // A UDP packet whose total length leaves no room for the ports.
        var noPorts = Array(good.prefix(22))
        noPorts[2] = 0
        noPorts[3] = 22
        #expect(throws: IPv4PacketSummary.ParseError.truncated(bytes: 22, needed: 24)) { try IPv4PacketSummary(parsing: noPorts) }
    }
}
