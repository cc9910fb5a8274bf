#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Engine
import Foundation
import Harness
@testable import LiveHarness
import NIOCore
import Synchronization
import Testing

/// The kernel impairment path for real: network namespaces, TUN devices, the relay thread, and
/// live trials whose engine runs in a namespace of its own. They need root (CAP_NET_ADMIN,
/// CAP_SYS_ADMIN), /dev/net/tun and iproute2; elsewhere they are skipped with the reason
/// (`KernelImpairment.unavailableReason`). Every socket call has a deadline.
@Suite("Kernel impairment (TUN in network namespaces)", .serialized,
       // Skipped, with the reason, where root, /dev/net/tun or `ip` is missing (CI without privileges).
       .enabled(if: KernelImpairment.isAvailable, Comment(rawValue: "kernel path unavailable: \(KernelImpairment.unavailableReason ?? "")")))
struct KernelImpairmentTests {
    static func exists(_ namespace: String) -> Bool {
        FileManager.default.fileExists(atPath: "/var/run/netns/\(namespace)")
    }

    func delayed(_ ms: Double, loss: Double = 0) -> LinkProfile {
        var profile = LinkProfile()
        profile.delay = ms
        profile.loss = loss
        return profile
    }

    @Test("UDP crosses the relay both ways between the namespaces, through the participant's delays")
    func udpBothWays() throws {
        let network = try KernelNetwork.create()
        defer { network.close() }
        let engine = try NamespaceSockets.bound(Int32(SOCK_DGRAM.rawValue), host: KernelNetwork.engineAddress, in: network.engine, timeout: 5)
        let other = try NamespaceSockets.bound(Int32(SOCK_DGRAM.rawValue), host: KernelNetwork.engineAddress, in: network.engine, timeout: 5)
        let participant = try NamespaceSockets.bound(Int32(SOCK_DGRAM.rawValue), host: KernelNetwork.participantsAddress, in: network.participants, timeout: 5)
        defer { for fd in [engine.fd, other.fd, participant.fd] { close(fd) } }
        let links = try RelayLinks(participantByEngineEndpoint: [Endpoint(address: IPv4TestPacket.address(KernelNetwork.engineAddress), port: engine.port): 0],
                                   profiles: [(delayed(30), delayed(20))], seed: 1)
        try network.relay.attach(links, transportProtocol: .udp, origin: .now())

        let clock = ContinuousClock()
        var sent = clock.now
        try NamespaceSockets.send(participant.fd, Array("ping".utf8), to: KernelNetwork.engineAddress, engine.port)
        let request = try NamespaceSockets.receive(engine.fd)
        #expect(clock.now - sent >= .milliseconds(30))
        #expect(request.bytes == Array("ping".utf8))
        #expect(request.port == participant.port)
        sent = clock.now
        try NamespaceSockets.send(engine.fd, Array("pong".utf8), to: KernelNetwork.participantsAddress, participant.port)
        let reply = try NamespaceSockets.receive(participant.fd)
        #expect(clock.now - sent >= .milliseconds(20))
        #expect(reply.bytes == Array("pong".utf8))
        // A port that is no participant's transport passes unimpaired.
        try NamespaceSockets.send(participant.fd, Array("other".utf8), to: KernelNetwork.engineAddress, other.port)
        #expect(try NamespaceSockets.receive(other.fd).bytes == Array("other".utf8))

        let given = try network.relay.detach()
        #expect(given === links)
        #expect(links.counters.uplink[0].delivered == 1 && links.counters.downlink[0].delivered == 1)
        #expect(network.relay.counters.relay.linked == 2)
        #expect(network.relay.counters.relay.passedThrough >= 1)
    }

    @Test("TCP through a lossy link: the kernel retransmits the lost segments and every byte arrives in order")
    func tcpRetransmits() throws {
        let network = try KernelNetwork.create()
        defer { network.close() }
        let listener = try NamespaceSockets.bound(Int32(SOCK_STREAM.rawValue), host: KernelNetwork.engineAddress, in: network.engine)
        try NamespaceSockets.listen(listener.fd)
        let client = try NamespaceSockets.bound(Int32(SOCK_STREAM.rawValue), host: KernelNetwork.participantsAddress, in: network.participants)
        defer { for fd in [listener.fd, client.fd] { close(fd) } }
        let links = try RelayLinks(participantByEngineEndpoint: [Endpoint(address: IPv4TestPacket.address(KernelNetwork.engineAddress), port: listener.port): 0],
                                   profiles: [(delayed(5, loss: 0.05), delayed(5, loss: 0.05))], seed: 3)
        let before = try KernelNetwork.retransmittedSegments(in: network.participants)
        try network.relay.attach(links, transportProtocol: .tcp, origin: .now())

        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let received = Mutex<Result<[UInt8], any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Result { () throws -> [UInt8] in
                let connection = try NamespaceSockets.accept(listener.fd)
                defer { close(connection) }
                return try NamespaceSockets.readAll(connection)
            }
            received.withLock { $0 = outcome }
            done.signal()
        }
        try NamespaceSockets.connect(client.fd, to: KernelNetwork.engineAddress, listener.port)
        try NamespaceSockets.writeAll(client.fd, payload)
        shutdown(client.fd, Int32(SHUT_WR))
        #expect(done.wait(timeout: .now() + 60) == .success)
        let bytes = try #require(received.withLock { $0 }).get()
        #expect(bytes.count == payload.count)
        #expect(bytes == payload)
        _ = try network.relay.detach()
        let retransmitted = try KernelNetwork.retransmittedSegments(in: network.participants) - before
        #expect(links.counters.uplink[0].droppedByLoss > 0)
        #expect(retransmitted > 0)
    }

    func runLive(_ spec: TrialSpec) throws -> (result: Result<TrialResult, any Error>, namespaces: [String], server: Int32?) {
        var runner = LiveTrialRunner(engine: .spawn(executable: try LiveTestSupport.sfulabPath()))
        runner.impairment = .kernel
        let names = Mutex<[String]>([])
        let pid = Mutex<Int32?>(nil)
        runner.namespacesCreated = { participants, engine in names.withLock { $0 = [participants, engine] } }
        runner.serverStarted = { started in pid.withLock { $0 = started } }
        let result = Result { try runner.run(spec) }
        return (result, names.withLock { $0 }, pid.withLock { $0 })
    }

    @Test("a live trial over TCP: frames decode, the kernel retransmits what the links drop, and the namespaces are gone after")
    func liveTrialOverTCP() throws {
        var network = try NetworkScenario.preset(named: "lossless")
        network.name = "lossy-3pct"
        network.uplink = delayed(15, loss: 0.03)
        network.downlink = delayed(15, loss: 0.03)
        var profile = Profile()
        profile.webRtcTransport.enableTcp = true
        profile.webRtcTransport.preferTcp = true
        let spec = TrialSpec(profile: profile, workload: WorkloadSpec(participants: 3), network: network, duration: .seconds(3), seed: 5)
        let (outcome, namespaces, server) = try runLive(spec)
        let result = try outcome.get()
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
        #expect(result.metrics["network.lostPackets", default: 0] > 0)
        #expect(result.metrics["tcp.retransmissions", default: 0] > 0)
        #expect(result.metrics["tcp.segmentsLost"] == nil)  // no TCPRecoveryModel: the kernel recovers
        #expect(result.metrics["kernel.packetsLinked", default: 0] > 1_000)
        #expect(result.metrics["kernel.packetsMalformed"] == 0)
        #expect(result.liveImpairments?["loss"]?.hasPrefix("kernel (TUN in network namespaces)") == true)
        #expect(result.liveImpairments?["transport"]?.contains("TCP") == true)
        #expect(namespaces.count == 2)
        for namespace in namespaces { #expect(!Self.exists(namespace)) }
        #expect(!LiveTrialTests.isRunning(try #require(server)))
    }

    @Test("a trial that fails after the namespaces and the server exist leaves neither behind")
    func failureCleansUp() throws {
        var profile = Profile()
        profile.router.mediaCodecs.removeAll { $0.kind == .video }
        let spec = TrialSpec(profile: profile, workload: WorkloadSpec(participants: 2), network: try NetworkScenario.preset(named: "lossless"),
                             duration: .seconds(2), seed: 5)
        let (outcome, namespaces, server) = try runLive(spec)
        #expect(throws: TrialError.self) { try outcome.get() }
        #expect(namespaces.count == 2)
        for namespace in namespaces { #expect(!Self.exists(namespace)) }
        #expect(!LiveTrialTests.isRunning(try #require(server)))
    }

    @Test("SIGINT during a kernel-mode trial: `sfulab trial` deletes its namespaces before it dies")
    func interruptCleansUp() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try LiveTestSupport.sfulabPath())
        process.arguments = ["trial", "--mode", "live", "--impairment", "kernel", "--participants", "2", "--duration", "60s"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The trial names its namespaces on stderr once they exist.
        let line = Mutex<String?>(nil)
        let announced = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var text = ""
            while true {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if let found = text.split(separator: "\n").first(where: { $0.contains("network namespaces") }) {
                    line.withLock { $0 = String(found) }
                    break
                }
            }
            announced.signal()
        }
        #expect(announced.wait(timeout: .now() + 60) == .success)
        let announcement = try #require(line.withLock { $0 })
        let namespaces = announcement.split(separator: " ").filter { $0.hasPrefix("sfulab-") }.map(String.init)
        #expect(namespaces.count == 2)
        for namespace in namespaces { #expect(Self.exists(namespace)) }
        kill(process.processIdentifier, SIGINT)
        let exited = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            process.waitUntilExit()
            exited.signal()
        }
        #expect(exited.wait(timeout: .now() + 30) == .success)
        #expect(process.terminationReason == .uncaughtSignal, "status \(process.terminationStatus): \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))")
        for namespace in namespaces { #expect(!Self.exists(namespace)) }
    }

    @Test("namespaces left by a dead process are removed by the next run; others are left alone")
    func staleNamespaces() throws {
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let stale = "sfulab-\(finished.processIdentifier)-1-c"
        let ours = "sfulab-\(getpid())-999999-c"
        let living = "sfulab-1-999999-c"  // pid 1 is alive
        for name in [stale, ours, living] { _ = try NetworkNamespace.create(named: name) }
        defer { for name in [stale, ours, living] { NetworkNamespace(name: name).delete() } }
        let removed = NamespaceJanitor.removeStale()
        #expect(removed.contains(stale))
        #expect(!Self.exists(stale))
        #expect(Self.exists(ours) && Self.exists(living))
    }

}

/// The kernel path's pieces that need no root.
@Suite("Kernel impairment without root")
struct KernelPathParsingTests {
    @Test("RetransSegs is read from /proc/net/snmp's Tcp lines")
    func snmp() throws {
        let text = """
            Ip: Forwarding DefaultTTL
            Ip: 1 64
            Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
            Tcp: 1 200 120000 -1 3 1 0 0 1 950 1020 37 0 0 0
            """
        #expect(try KernelNetwork.retransmittedSegments(snmp: text) == 37)
        #expect(throws: LiveTrialError.self) { try KernelNetwork.retransmittedSegments(snmp: "Ip: 1 64") }
    }

    @Test("only namespaces named sfulab-<pid>-... are the janitor's")
    func ownerPID() {
        #expect(NamespaceJanitor.ownerPID(of: "sfulab-4242-3-c") == 4242)
        #expect(NamespaceJanitor.ownerPID(of: "sfulab-x-3-c") == nil)
        #expect(NamespaceJanitor.ownerPID(of: "other-4242-3-c") == nil)
        #expect(NamespaceJanitor.ownerPID(of: "sfulab-4242") == nil)
    }
}
