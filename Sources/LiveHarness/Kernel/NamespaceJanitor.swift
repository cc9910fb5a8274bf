import Dispatch
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Makes sure the network namespaces live trials create do not outlive them: the ones this
/// process holds are deleted on SIGINT and SIGTERM (then the signal takes its default course), and
/// `removeStale()` deletes those a process that died without cleaning up left behind. Only names
/// of the form `sfulab-<pid>-...` are ever touched.
enum NamespaceJanitor {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var held: Set<String> = []
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    nonisolated(unsafe) private static var serial = 0

    /// Fresh names for this process, one per role: `sfulab-<pid>-<serial>-<role>`.
    static func makeNames(roles: [String]) -> [String] {
        lock.withLock {
            serial += 1
            return roles.map { "sfulab-\(getpid())-\(serial)-\($0)" }
        }
    }

    /// Remembers `name` for deletion on a signal (before the namespace is created, so that a
    /// signal in between still finds it).
    static func hold(_ name: String) {
        lock.withLock {
            held.insert(name)
            if sources.isEmpty { installSignalHandlers() }
        }
    }

    /// Forgets `name` (deleted by its owner).
    static func release(_ name: String) {
        _ = lock.withLock { held.remove(name) }
    }

    /// The process id a trial's namespace name carries, or nil when it is not one of ours.
    static func ownerPID(of name: String) -> Int32? {
        let parts = name.split(separator: "-")
        guard parts.count >= 3, parts[0] == "sfulab" else { return nil }
        return Int32(parts[1])
    }

    /// Deletes the namespaces whose owning process no longer exists; returns their names.
    @discardableResult
    static func removeStale() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: NetworkNamespace.directory)) ?? []
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = ownerPID(of: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if NetworkNamespace(name: name).delete() == nil { removed.append(name) }
        }
        return removed
    }

    /// The signal being handled, once one has arrived.
    nonisolated(unsafe) private static var interruption: Int32?
    private static let interruptionHandled = DispatchSemaphore(value: 0)

    /// On SIGINT or SIGTERM: delete the namespaces held, then die of the signal. The trial's own
    /// thread may fail meanwhile (its namespaces vanish under it) and call exit(3): the exit hook
    /// waits for the clean-up and dies of the signal too, so the exit status says what happened.
    private static func installSignalHandlers() {
        atexit {
            guard let number = NamespaceJanitor.lock.withLock({ NamespaceJanitor.interruption }) else { return }
            _ = NamespaceJanitor.interruptionHandled.wait(timeout: .now() + 10)
            NamespaceJanitor.die(of: number)
        }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let names = lock.withLock {
                    interruption = interruption ?? number
                    return held
                }
                for name in names.sorted() { NetworkNamespace(name: name).delete() }
                interruptionHandled.signal()
                die(of: number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Ends the process by the signal's default action. The signal is unblocked first: a process
    /// started from a thread that blocks signals (Swift concurrency's pool, a test runner) inherits
    /// the mask, and libdispatch still reports the signal, which would otherwise stay pending.
    private static func die(of number: Int32) -> Never {
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }
}
