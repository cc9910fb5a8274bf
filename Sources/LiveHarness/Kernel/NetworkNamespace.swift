import CNetNamespace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A named network namespace (`ip netns`, a bind mount under /var/run/netns) that a live trial
/// created for itself. Names start with `sfulab-<pid>-`, so a later run can tell a namespace
/// left by a crashed process (`NamespaceJanitor.removeStale()`).
public struct NetworkNamespace: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    /// Where `ip netns` mounts it.
    static let directory = "/var/run/netns"

    public var path: String { "\(Self.directory)/\(name)" }
    public var description: String { name }

    init(name: String) {
        self.name = name
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates the namespace (`ip netns add`).
    static func create(named name: String) throws -> NetworkNamespace {
        try IPCommand.run(["netns", "add", name])
        return NetworkNamespace(name: name)
    }

    /// Deletes the namespace (`ip netns delete`): its devices go with it once no process is left
    /// inside. Errors are returned, not thrown: clean-up goes on with the next one.
    @discardableResult
    func delete() -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { try IPCommand.run(["netns", "delete", name]) } catch { return error.description }
        return nil
    }

    /// Whether the namespace still exists.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Moves the calling thread (and the threads it starts from then on) into the namespace:
    /// sockets and devices it creates belong to it. Other threads are not affected.
    public func enter() throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let status = sfulab_enter_network_namespace(fd)
        guard status == 0 else { throw Failure(description: "setns into \(name): \(String(cString: strerror(-status)))") }
    }

    /// Runs `body` on a new thread inside the namespace and returns what it returns (sockets and
    /// descriptors it opens there keep working from any thread afterwards).
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = OutcomeBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            outcome.value = Result {
                try enter()
                return try body()
            }
            done.signal()
        }
        thread.start()
        done.wait()
        return try outcome.value!.get()
    }
}

/// Hands a thread's result to the thread that waits for it (the semaphore orders the accesses).
private final class OutcomeBox<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}
