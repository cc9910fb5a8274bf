import Engine
import Harness

/// The kernel path's relay, sans-IO (docs/live-mode.md): raw IP packets read from the two TUN
/// devices go in with the time, and come out when the participant's link lets them through,
/// addressed to the other device. It never touches a descriptor or reads a clock.
///
/// A packet sent to an engine transport endpoint (`RelayLinks.participantByEngineEndpoint`,
/// with the trial's transport protocol) crosses that participant's uplink emulator; one sent
/// from such an endpoint crosses the downlink. Everything else passes at once, unimpaired: the
/// control API's HTTP, TCP handshakes made before the links are attached, ICMP. Bytes that are not
/// an IPv4 packet are counted and dropped. Packets are forwarded unchanged.
public struct PacketRelay {
    /// The TUN device a packet was read from, or is to be written to.
    public enum Side: Sendable, Hashable {
        /// The device in the participants' namespace.
        case participants
        /// The device in the engine server's namespace.
        case engine

        var other: Side { self == .participants ? .engine : .participants }
    }

    /// A packet to write on a device.
    public struct Output {
        public var packet: [UInt8]
        public var side: Side
    }

    /// What the relay did with what it was given.
    public struct Counters: Sendable, Hashable {
        /// Packets offered to a participant's uplink or downlink emulator.
        public var linked = 0
        /// Packets forwarded at once (no participant link: control traffic, handshakes, ICMP).
        public var passedThrough = 0
        /// Of `passedThrough`, IP fragments after the first (no ports to route them by).
        public var unroutedFragments = 0
        /// Bytes that were no IPv4 packet or a truncated one (dropped).
        public var malformed = 0
        /// IPv6 and other non-IPv4 packets the namespaces' own stacks emit (dropped).
        public var notIPv4 = 0

        public init() {}
    }

    private struct Route: Hashable {
        var protocolNumber: UInt8
        var engine: Endpoint
    }

    public private(set) var counters = Counters()
    private var links: RelayLinks?
    private var routes: [Route: Int] = [:]
    private var output: [Output] = []

    public init() {}

    /// Starts carrying the participants' packets through `links`; `transportProtocol` is the
    /// trial's (an engine endpoint is a UDP or a TCP port).
    public mutating func attach(_ links: RelayLinks, transportProtocol: TransportProtocol) {
        let number = transportProtocol == .tcp ? IPv4PacketSummary.tcp : IPv4PacketSummary.udp
        self.links = links
        routes = [:]
        for (engine, participant) in links.participantByEngineEndpoint {
            routes[Route(protocolNumber: number, engine: engine)] = participant
        }
    }

    /// Stops using the links and gives them back; packets still inside them are not delivered.
    /// From now on everything passes unimpaired.
    public mutating func detach() -> RelayLinks? {
        defer {
            links = nil
            routes = [:]
        }
        return links
    }

    /// A packet read from the device on `side` at `now`.
    public mutating func receive(_ packet: [UInt8], from side: Side, now: Instant) {
        let summary: IPv4PacketSummary
        do { summary = try IPv4PacketSummary(parsing: packet) } catch {
            if case .notIPv4 = error { counters.notIPv4 += 1 } else { counters.malformed += 1 }
            return
        }
        if let links, let (participant, uplink) = route(summary, from: side) {
            counters.linked += 1
            links.send(packet, participant: participant, uplink: uplink, now: now)
            return
        }
        counters.passedThrough += 1
        if summary.sourcePort == nil, summary.protocolNumber == IPv4PacketSummary.tcp || summary.protocolNumber == IPv4PacketSummary.udp {
            counters.unroutedFragments += 1
        }
        output.append(Output(packet: packet, side: side.other))
    }

    /// The participant link that carries `summary`'s packet, and whether it is the uplink.
    func route(_ summary: IPv4PacketSummary, from side: Side) -> (participant: Int, uplink: Bool)? {
        let address = side == .participants ? summary.destination : summary.source
        guard let port = side == .participants ? summary.destinationPort : summary.sourcePort,
              let participant = routes[Route(protocolNumber: summary.protocolNumber, engine: Endpoint(address: address, port: port))]
        else { return nil }
        return (participant, side == .participants)
    }

    /// When a link next has something to do, or nil.
    public func nextDeadline() -> Instant? {
        links?.nextDeadline()
    }

    /// Takes out of the links what has crossed them by `now`.
    public mutating func handleTimeout(now: Instant) {
        guard let links else { return }
        for participant in 0..<links.count {
            for uplink in [true, false] {
                guard let due = links.nextDeadline(participant: participant, uplink: uplink), due <= now else { continue }
                while let packet = links.poll(participant: participant, uplink: uplink, now: now) {
                    output.append(Output(packet: packet, side: uplink ? .engine : .participants))
                }
            }
        }
    }

    /// Packets to write since the last call, in order.
    public mutating func takeOutput() -> [Output] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }
}
