import Engine
import Harness
import LiveHarness
import Testing

/// The kernel relay's sans-IO core in virtual time (no root, no devices): which packets cross a
/// participant's link, which pass, and what the links do to them.
@Suite("Packet relay")
struct PacketRelayTests {
    static let engineAddress = IPv4TestPacket.address("198.18.0.2")

    /// Participant 0 owns engine transports 198.18.0.2:40000 and :40002, participant 1 :40004.
    func relay(uplink: LinkProfile, downlink: LinkProfile, transport: TransportProtocol = .udp) throws -> (PacketRelay, RelayLinks) {
        let routes = [Endpoint(address: Self.engineAddress, port: 40_000): 0, Endpoint(address: Self.engineAddress, port: 40_002): 0,
                      Endpoint(address: Self.engineAddress, port: 40_004): 1]
        let links = try RelayLinks(participantByEngineEndpoint: routes, profiles: [(uplink, downlink), (LinkProfile(), LinkProfile())], seed: 7)
        var relay = PacketRelay()
        relay.attach(links, transportProtocol: transport)
        return (relay, links)
    }

    func delayed(_ ms: Double) -> LinkProfile {
        var profile = LinkProfile()
        profile.delay = ms
        return profile
    }

    @Test("a participant's packets cross its uplink and downlink delays; unchanged, to the other device")
    func bothWays() throws {
        var (relay, links) = try relay(uplink: delayed(20), downlink: delayed(10))
        let up = IPv4TestPacket.make(from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_002)
        let down = IPv4TestPacket.make(from: "198.18.0.2", 40_000, to: "198.18.0.1", 51_001)
        relay.receive(up, from: .participants, now: .zero)
        relay.receive(down, from: .engine, now: .zero)
        relay.handleTimeout(now: .zero)
        #expect(relay.takeOutput().isEmpty)
        #expect(relay.nextDeadline() == Instant.zero + .milliseconds(10))
        relay.handleTimeout(now: Instant.zero + .milliseconds(10))
        let first = relay.takeOutput()
        #expect(first.map(\.packet) == [down] && first.map(\.side) == [.participants])
        #expect(relay.nextDeadline() == Instant.zero + .milliseconds(20))
        relay.handleTimeout(now: Instant.zero + .milliseconds(20))
        let second = relay.takeOutput()
        #expect(second.map(\.packet) == [up] && second.map(\.side) == [.engine])
        #expect(relay.counters.linked == 2 && relay.counters.passedThrough == 0)
        #expect(links.counters.uplink[0].delivered == 1 && links.counters.downlink[0].delivered == 1)
        #expect(links.counters.uplink[1].sent == 0)
    }

    @Test("control traffic, another protocol on a transport's port, and ICMP pass at once")
    func passThrough() throws {
        var (relay, _) = try relay(uplink: delayed(50), downlink: delayed(50))
        let http = IPv4TestPacket.make(protocolNumber: 6, from: "198.18.0.1", 51_000, to: "198.18.0.2", 8_080)
        let tcpOnUDPPort = IPv4TestPacket.make(protocolNumber: 6, from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_000)
        let icmp = IPv4TestPacket.make(protocolNumber: 1, from: "198.18.0.2", 0, to: "198.18.0.1", 0)
        relay.receive(http, from: .participants, now: .zero)
        relay.receive(tcpOnUDPPort, from: .participants, now: .zero)
        relay.receive(icmp, from: .engine, now: .zero)
        let output = relay.takeOutput()
        #expect(output.map(\.packet) == [http, tcpOnUDPPort, icmp])
        #expect(output.map(\.side) == [.engine, .engine, .participants])
        #expect(relay.counters.passedThrough == 3 && relay.counters.linked == 0)
    }

    @Test("TCP transports are routed by their TCP port")
    func tcpRoutes() throws {
        var (relay, _) = try relay(uplink: delayed(5), downlink: LinkProfile(), transport: .tcp)
        relay.receive(IPv4TestPacket.make(protocolNumber: 6, from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_000), from: .participants, now: .zero)
        relay.receive(IPv4TestPacket.make(from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_000), from: .participants, now: .zero)
        #expect(relay.counters.linked == 1 && relay.counters.passedThrough == 1)
    }

    @Test("a lossy link drops the participant's packets; the links count them")
    func loss() throws {
        var lossy = LinkProfile()
        lossy.loss = 1
        var (relay, links) = try relay(uplink: lossy, downlink: LinkProfile())
        for index in 0..<10 {
            relay.receive(IPv4TestPacket.make(from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_000), from: .participants,
                          now: Instant.zero + .milliseconds(Int64(index)))
        }
        relay.handleTimeout(now: Instant.zero + .seconds(1))
        #expect(relay.takeOutput().isEmpty)
        #expect(links.counters.uplink[0].droppedByLoss == 10)
    }

    @Test("garbage and non-IPv4 packets are counted and dropped")
    func garbage() throws {
        var (relay, _) = try relay(uplink: LinkProfile(), downlink: LinkProfile())
        relay.receive([0x45, 0, 0], from: .participants, now: .zero)
        relay.receive([0x60] + Array(repeating: 0, count: 39), from: .engine, now: .zero)
        #expect(relay.takeOutput().isEmpty)
        #expect(relay.counters.malformed == 1 && relay.counters.notIPv4 == 1)
    }

    @Test("after detach everything passes unimpaired and the links are given back")
    func detach() throws {
        var (relay, links) = try relay(uplink: delayed(20), downlink: delayed(20))
        let given = relay.detach()
        #expect(given === links)
        let packet = IPv4TestPacket.make(from: "198.18.0.1", 51_000, to: "198.18.0.2", 40_000)
        relay.receive(packet, from: .participants, now: .zero)
        #expect(relay.takeOutput().map(\.packet) == [packet])
        #expect(relay.nextDeadline() == nil)
    }
}
