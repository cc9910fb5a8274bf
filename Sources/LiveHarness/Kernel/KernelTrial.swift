import Engine
import Harness
import NIOCore

/// One trial on the kernel path: lends the load generator's link emulators to the relay for the
/// trial's duration, and measures what the kernel and the relay did (the `kernel.*` figures and,
/// over TCP, the kernel's own retransmissions: `Tcp: RetransSegs` of /proc/net/snmp in each
/// namespace, RFC 4022's tcpRetransSegs).
struct KernelTrial {
    let network: KernelNetwork
    let links: RelayLinks
    let transport: TransportProtocol
    private let retransmittedBefore: (participants: Int, engine: Int)

    /// Call after set-up (the transports exist), before the trial clock starts.
    init(network: KernelNetwork, generator: LiveLoadGenerator, transport: TransportProtocol) throws {
        self.network = network
        self.transport = transport
        links = generator.lendLinks()
        retransmittedBefore = (try KernelNetwork.retransmittedSegments(in: network.participants),
                               try KernelNetwork.retransmittedSegments(in: network.engine))
    }

    /// The relay starts carrying the participants' packets through their links, on the trial clock.
    func start(origin: NIODeadline) throws {
        try network.relay.attach(links, transportProtocol: transport, origin: origin)
    }

    /// Takes the links back (the generator's `network.*` figures then count what they did) and
    /// returns the kernel path's own figures.
    func finish() throws -> [String: Double] {
        _ = try network.relay.detach()
        let (relay, devices) = network.relay.counters
        var figures: [String: Double] = [
            "kernel.packetsLinked": Double(relay.linked),
            "kernel.packetsPassedThrough": Double(relay.passedThrough),
            "kernel.packetsMalformed": Double(relay.malformed),
            "kernel.packetsNotIPv4": Double(relay.notIPv4),
            "kernel.deviceWriteFailures": Double(devices.writeFailures),
            "kernel.deviceReadFailures": Double(devices.readFailures),
        ]
        if relay.unroutedFragments > 0 { figures["kernel.unroutedFragments"] = Double(relay.unroutedFragments) }
        if transport == .tcp {
            let participants = try KernelNetwork.retransmittedSegments(in: network.participants) - retransmittedBefore.participants
            let engine = try KernelNetwork.retransmittedSegments(in: network.engine) - retransmittedBefore.engine
            figures["tcp.retransmissions"] = Double(participants + engine)
            figures["tcp.retransmissions.participants"] = Double(participants)
            figures["tcp.retransmissions.engine"] = Double(engine)
        }
        return figures
    }
}
