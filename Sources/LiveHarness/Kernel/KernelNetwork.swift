import CNetNamespace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kernel path's network (docs/live-mode.md): two network namespaces created for one trial,
/// `sfulab-<pid>-<n>-c` for the participants' sockets and `sfulab-<pid>-<n>-e` for the engine
/// server, each with a layer-3 TUN device `sfulab0` whose other end is a descriptor in this
/// process, and a `TUNRelay` between the two descriptors:
///
/// ```
///  namespace …-c                      this process                    namespace …-e
///  participants' sockets              TUNRelay thread                 sfulab serve
///  198.18.0.1 ── sfulab0 ══ fd ──► PacketRelay (LinkEmulators) ──► fd ══ sfulab0 ── 198.18.0.2
///                         ◄──────────────────────────────────────
/// ```
///
/// Each address is a point-to-point peer of the other (`ip addr add A peer B`), so the only route
/// between them is the TUN pair. 198.18.0.0/15 is the range set aside for benchmarking
/// (RFC 2544 appendix C.2.2, RFC 6890); it exists only inside the two namespaces. `close()`
/// stops the relay and deletes both namespaces; `NamespaceJanitor` deletes them on SIGINT/SIGTERM
/// and after a crash.
final class KernelNetwork: @unchecked Sendable {
    /// The participants' address (namespace C) and the engine's (namespace E).
    static let participantsAddress = "198.18.0.1"
    static let engineAddress = "198.18.0.2"
    /// The TUN device's name in each namespace.
    static let deviceName = "sfulab0"

    let participants: NetworkNamespace
    let engine: NetworkNamespace
    let relay: TUNRelay
    private let lock = NSLock()
    private var closed = false

    private init(participants: NetworkNamespace, engine: NetworkNamespace, relay: TUNRelay) {
        self.participants = participants
        self.engine = engine
        self.relay = relay
    }

    /// Creates both namespaces, their TUN devices and addresses, and starts the relay. Deletes
    /// namespaces left by dead processes first. On failure, nothing it made is left.
    static func create() throws -> KernelNetwork {
        if let reason = KernelImpairment.unavailableReason {
            throw LiveTrialError.unsupported("--impairment kernel \(reason); use --impairment user")
        }
        NamespaceJanitor.removeStale()
        var made: [NetworkNamespace] = []
        var devices: [Int32] = []
        do {
            for name in NamespaceJanitor.makeNames(roles: ["c", "e"]) {
                NamespaceJanitor.hold(name)
                do { made.append(try NetworkNamespace.create(named: name)) } catch {
                    NamespaceJanitor.release(name)
                    throw error
                }
            }
            for namespace in made {
                let fd = try namespace.run { sfulab_open_tun(deviceName) }
                guard fd >= 0 else {
                    throw LiveTrialError.engine("cannot create TUN device \(deviceName) in \(namespace): \(String(cString: strerror(-fd)))")
                }
                devices.append(fd)
            }
            for (namespace, (local, peer)) in zip(made, [(participantsAddress, engineAddress), (engineAddress, participantsAddress)]) {
                try IPCommand.run(["-n", namespace.name, "link", "set", "lo", "up"])
                try IPCommand.run(["-n", namespace.name, "addr", "add", local, "peer", peer, "dev", deviceName])
                try IPCommand.run(["-n", namespace.name, "link", "set", deviceName, "up"])
            }
            let relay = try TUNRelay(participantsDevice: devices[0], engineDevice: devices[1])
            relay.start()
            return KernelNetwork(participants: made[0], engine: made[1], relay: relay)
        } catch {
            for fd in devices { Glibc.close(fd) }
            for namespace in made {
                namespace.delete()
                NamespaceJanitor.release(namespace.name)
            }
            if let error = error as? LiveTrialError { throw error }
            throw LiveTrialError.engine("kernel impairment path: \(error)")
        }
    }

    /// The command prefix that runs a program inside the engine's namespace.
    var engineLauncher: [String] {
        [IPCommand.path ?? "ip", "netns", "exec", engine.name]
    }

    /// Reads `Tcp: RetransSegs` from /proc/net/snmp inside `namespace` (segments its TCP retransmitted).
    static func retransmittedSegments(in namespace: NetworkNamespace) throws -> Int {
        let text = try namespace.run { try String(contentsOfFile: "/proc/thread-self/net/snmp", encoding: .utf8) }
        return try retransmittedSegments(snmp: text)
    }

    /// `Tcp: RetransSegs` from the text of /proc/net/snmp (a header line of names, then values).
    static func retransmittedSegments(snmp text: String) throws -> Int {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("Tcp:") }.map { $0.split(separator: " ") }
        guard lines.count >= 2, let column = lines[0].firstIndex(of: "RetransSegs"), column < lines[1].count,
              let value = Int(lines[1][column]) else {
            throw LiveTrialError.run("/proc/net/snmp has no Tcp RetransSegs figure")
        }
        return value
    }

    /// Stops the relay and deletes both namespaces. Idempotent; errors are reported, not thrown.
    @discardableResult
    func close() -> [String] {
        let first = lock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return [] }
        relay.stop()
        var problems: [String] = []
        for namespace in [participants, engine] {
            if let problem = namespace.delete() { problems.append(problem) }
            NamespaceJanitor.release(namespace.name)
        }
        return problems
    }

    deinit { close() }
}
