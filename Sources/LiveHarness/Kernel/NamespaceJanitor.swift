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

    private static func installSignalHandlers() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let names = lock.withLock { held }
                for name in names.sorted() { NetworkNamespace(name: name).delete() }
                signal(number, SIG_DFL)
                raise(number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
