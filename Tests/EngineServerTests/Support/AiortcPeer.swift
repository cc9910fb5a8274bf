import ControlAPI
import Foundation

/// One `Tests/Interop/aiortc_peer.py` process in the aiortc venv: JSON lines in on its stdin,
/// JSON lines out of its stdout (docs/interop.md). Every read has a deadline; `close` kills it.
final class AiortcPeer: @unchecked Sendable {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The venv `scripts/install-deps.sh --with-test-tools` creates.
    static let python = repositoryRoot.appendingPathComponent(".build/aiortc-venv/bin/python3").path
    static let script = repositoryRoot.appendingPathComponent("Tests/Interop/aiortc_peer.py").path
    /// Whether the venv is there (the interop tests are skipped without it).
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    enum PeerError: Error, CustomStringConvertible {
        case timedOut(waitingFor: String, stderr: String)
        case exited(status: Int32, waitingFor: String, stderr: String)
        case notJSON(String)

        var description: String {
            switch self {
            case .timedOut(let what, let stderr): "aiortc peer: no \(what) before the deadline; stderr: \(stderr.suffix(2_000))"
            case .exited(let status, let what, let stderr): "aiortc peer exited (\(status)) before \(what); stderr: \(stderr.suffix(2_000))"
            case .notJSON(let line): "aiortc peer printed a line that is not a JSON object: \(line.prefix(200))"
            }
        }
    }

    private let process = Process()
    private let input = Pipe()
    private let lock = NSCondition()
    private var lines: [String] = []
    private var stdoutClosed = false
    private var errors = Data()
    private let exited = DispatchSemaphore(value: 0)

    init() throws {
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.script]
        let output = Pipe(), errorPipe = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errorPipe
        process.terminationHandler = { [exited] _ in exited.signal() }
        // A peer that died must make `send` throw (EPIPE), not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = reader.availableData
                lock.lock()
                if chunk.isEmpty { stdoutClosed = true; lock.broadcast(); lock.unlock(); return }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
                lock.broadcast()
                lock.unlock()
            }
        }
        let errorReader = errorPipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = errorReader.availableData
                if chunk.isEmpty { return }
                lock.lock(); errors.append(chunk); lock.unlock()
            }
        }
    }

    /// Writes one JSON line to the peer's stdin.
    func send(_ object: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: object)
        data.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    /// Writes an `Encodable` value as one JSON line.
    func send<T: Encodable>(encoded value: T, as key: String, in object: [String: Any]) throws {
        var object = object
        object[key] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
        try send(object)
    }

    /// The next JSON object the peer prints, within `timeout` seconds.
    func receive(_ what: String, timeout: TimeInterval) throws -> [String: Any] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        lock.lock()
        while lines.isEmpty, !stdoutClosed, lock.wait(until: deadline) {}
        guard !lines.isEmpty else {
            let stderr = String(decoding: errors, as: UTF8.self)
            let closed = stdoutClosed
            lock.unlock()
            if closed {
                throw PeerError.exited(status: waitForExit(timeout: 5) ?? -1, waitingFor: what, stderr: stderr)
            }
            throw PeerError.timedOut(waitingFor: what, stderr: stderr)
        }
        let line = lines.removeFirst()
        lock.unlock()
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw PeerError.notJSON(line)
        }
        return object
    }

    /// What the peer wrote on stderr so far.
    var standardError: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }

    /// Waits up to `timeout` seconds for the peer to exit: its status, nil when it is still running.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
        exited.signal()  // later callers see it exited too
        return process.terminationStatus
    }

    /// Kills the peer if it still runs.
    func close() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
