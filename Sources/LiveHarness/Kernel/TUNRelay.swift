import CNetNamespace
import Engine
import Foundation
import Harness
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs a `PacketRelay` on a thread of its own between two TUN devices (one in each network
/// namespace), with the monotonic clock: reads every packet each device's kernel routes into
/// it, writes what the relay lets through into the other. The thread sleeps in ppoll(2) until a
/// packet arrives or the next link deadline.
///
/// Time is `NIODeadline.now()` minus the trial's origin (the instant the load generator's clock
/// started, given to `attach`), so the emulators' schedules line up with the generator's.
/// `attach`, `detach` and `stop` may be called from any thread; they wait for the relay thread.
final class TUNRelay: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What the devices did (beyond the relay's own counters).
    struct DeviceCounters: Sendable, Hashable {
        var reads = 0
        var writes = 0
        var writeFailures = 0
        var readFailures = 0
    }

    private enum Command {
        case attach(UncheckedTransfer<RelayLinks>, TransportProtocol, NIODeadline)
        case detach
        case stop
    }

    private let participantsDevice: Int32
    private let engineDevice: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let lock = NSLock()
    private var commands: [Command] = []
    private var detached: RelayLinks?
    private var snapshot = (relay: PacketRelay.Counters(), devices: DeviceCounters())
    private let acknowledged = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    private var closed = false

    /// Takes ownership of the two TUN descriptors (closed by `stop`).
    init(participantsDevice: Int32, engineDevice: Int32) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        for fd in ends { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        self.participantsDevice = participantsDevice
        self.engineDevice = engineDevice
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    /// Starts the relay thread: until `attach`, every packet passes unimpaired.
    func start() {
        lock.withLock { started = true }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "sfulab-tun-relay"
        thread.start()
    }

    /// From now on, the participants' packets cross `links`, on the clock that started at `origin`.
    func attach(_ links: RelayLinks, transportProtocol: TransportProtocol, origin: NIODeadline) throws {
        try send(.attach(UncheckedTransfer(value: links), transportProtocol, origin))
    }

    /// Gives the links back (their counters are final); everything passes unimpaired from now on.
    func detach() throws -> RelayLinks? {
        try send(.detach)
        return lock.withLock { defer { detached = nil }; return detached }
    }

    /// The relay's and the devices' counters as of the last command.
    var counters: (relay: PacketRelay.Counters, devices: DeviceCounters) { lock.withLock { snapshot } }

    /// Stops the thread and closes both devices (they disappear with their descriptors). Idempotent.
    func stop() {
        let wasRunning = lock.withLock { () -> Bool? in
            if closed { return nil }
            closed = true
            return started
        }
        guard let wasRunning else { return }
        if wasRunning {
            enqueue(.stop)
            // A thread that does not stop keeps its descriptors; the process's exit closes them.
            guard finished.wait(timeout: .now() + 10) == .success else { return }
        }
        for fd in [participantsDevice, engineDevice, wakeRead, wakeWrite] { close(fd) }
    }

    private func send(_ command: Command) throws {
        enqueue(command)
        guard acknowledged.wait(timeout: .now() + 10) == .success else {
            throw Failure(description: "the TUN relay thread did not answer within 10 s")
        }
    }

    private func enqueue(_ command: Command) {
        lock.withLock { commands.append(command) }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The relay thread

    private func run() {
        var relay = PacketRelay()
        var devices = DeviceCounters()
        var origin: NIODeadline?
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var descriptors = [
            pollfd(fd: participantsDevice, events: Int16(POLLIN), revents: 0),
            pollfd(fd: engineDevice, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        func now() -> Instant {
            guard let origin else { return .zero }
            return Instant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds &- origin.uptimeNanoseconds))
        }
        func flush() {
            for output in relay.takeOutput() {
                let fd = output.side == .participants ? participantsDevice : engineDevice
                let written = output.packet.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written == output.packet.count { devices.writes += 1 } else { devices.writeFailures += 1 }
            }
        }
        while true {
            relay.handleTimeout(now: now())
            flush()
            var timeout: Int64 = -1
            if let deadline = relay.nextDeadline() { timeout = max(0, deadline.nanoseconds - now().nanoseconds) }
            for index in descriptors.indices { descriptors[index].revents = 0 }
            let ready = descriptors.withUnsafeMutableBufferPointer {
                sfulab_poll_nanoseconds($0.baseAddress, UInt32($0.count), timeout)
            }
            if ready < 0 && ready != -EINTR {
                // Never expected; look at the commands anyway, so that `stop` is still heard.
                devices.readFailures += 1
                descriptors[2].revents = Int16(POLLIN)
            }
            for (index, side) in [(0, PacketRelay.Side.participants), (1, .engine)] where descriptors[index].revents != 0 {
                // Bounded batches, so that one busy device cannot starve the other or the deadlines.
                for _ in 0..<256 {
                    let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                    if count < 0 {
                        if errno != EAGAIN && errno != EINTR { devices.readFailures += 1 }
                        break
                    }
                    devices.reads += 1
                    relay.receive(Array(buffer[0..<count]), from: side, now: now())
                }
                flush()
            }
            guard descriptors[2].revents != 0 else { continue }
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &drain, drain.count) > 0 {}
            for command in lock.withLock({ defer { commands.removeAll() }; return commands }) {
                switch command {
                case .attach(let links, let transportProtocol, let start):
                    origin = start
                    relay.attach(links.value, transportProtocol: transportProtocol)
                case .detach:
                    let links = relay.detach()
                    lock.withLock { detached = links }
                case .stop:
                    lock.withLock { snapshot = (relay.counters, devices) }
                    return
                }
                lock.withLock { snapshot = (relay.counters, devices) }
                acknowledged.signal()
            }
        }
    }
}
