import ControlAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `sfulab serve` child process, started and stopped for a live run or a test.
///
/// `launch` runs `SFULAB serve --listen 127.0.0.1 --port 0 --exit-with-parent ARGUMENTS...`, waits
/// (with a deadline) for the ready line on stdout (`ReadyLine`), and returns a handle with a
/// connected `EngineClient`. The child's stdin is a pipe this process holds: if this process dies
/// without stopping it, the pipe closes and `--exit-with-parent` makes the server exit, so no
/// server is ever left behind. `terminate()` sends SIGTERM, waits for a graceful exit, and falls
/// back to SIGKILL at its deadline.
public final class ServerProcess: @unchecked Sendable {
    /// What the server printed when it was ready.
    public let ready: ReadyLine
    /// A client of its control API.
    public let client: EngineClient
    public var pid: Int32 { process.processIdentifier }
    private let process: Process
    private let stdin: Pipe

    /// Why a server could not be started.
    public enum LaunchError: Error, CustomStringConvertible {
        case cannotStart(executable: String, reason: String)
        case exitedBeforeReady(status: Int32, output: String)
        case noReadyLine(seconds: Double)
        case badReadyLine(String)

        public var description: String {
            switch self {
            case .cannotStart(let executable, let reason):
                "cannot start \(executable): \(reason) (build it with `swift build --product sfulab`)"
            case .exitedBeforeReady(let status, let output):
                "sfulab serve exited with status \(status) before it was ready" + (output.isEmpty ? "" : "; stdout: \(output)")
            case .noReadyLine(let seconds):
                "sfulab serve printed no ready line within \(seconds) s"
            case .badReadyLine(let line):
                "sfulab serve printed '\(line)' where the ready line {\"event\":\"listening\",...} was expected"
            }
        }
    }

    private init(process: Process, stdin: Pipe, ready: ReadyLine, client: EngineClient) {
        self.process = process
        self.stdin = stdin
        self.ready = ready
        self.client = client
    }

    /// Starts `executable serve --listen 127.0.0.1 --port 0 --exit-with-parent` followed by
    /// `arguments` (for example `["--profile", "Profiles/baseline.yaml", "--seed", "7"]`); the
    /// child's stderr (JSON log lines) goes to `stderr`, this process's stderr when nil.
    /// `listen` replaces 127.0.0.1; `launcher` is a command that execs the server in its place
    /// (for example `["/usr/sbin/ip", "netns", "exec", "NAME"]`: the process id stays the server's).
    public static func launch(executable: String, arguments: [String], readyTimeout: Duration = .seconds(60),
                              stderr: FileHandle? = nil, listen: String = "127.0.0.1",
                              launcher: [String] = []) throws(LaunchError) -> ServerProcess {
        let process = Process()
        let command = launcher + [executable, "serve", "--listen", listen, "--port", "0", "--exit-with-parent"] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        if let stderr { process.standardError = stderr }
        do { try process.run() } catch {
            throw .cannotStart(executable: executable, reason: error.localizedDescription)
        }
        let reader = LineReader(stdout.fileHandleForReading)
        let seconds = Double(readyTimeout.components.seconds) + Double(readyTimeout.components.attoseconds) / 1e18
        guard let line = reader.firstLine(timeoutSeconds: seconds) else {
            if !reader.isFinished {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw .noReadyLine(seconds: seconds)
            }
            process.waitUntilExit()
            throw .exitedBeforeReady(status: process.terminationStatus, output: reader.partial)
        }
        do {
            let ready = try JSONDecoder().decode(ReadyLine.self, from: Data(line.utf8))
            guard ready.event == "listening" else { throw LaunchError.badReadyLine(line) }
            let client = try EngineClient(url: ready.control)
            return ServerProcess(process: process, stdin: stdin, ready: ready, client: client)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw .badReadyLine(line)
        }
    }

    /// Whether the server is still running.
    public var isRunning: Bool { process.isRunning }

    /// Stops the server: SIGTERM, then SIGKILL if it has not exited within `timeout`. Returns its
    /// exit status (0 after a graceful shutdown).
    @discardableResult
    public func terminate(timeout: Duration = .seconds(10)) -> Int32 {
        client.close()
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let exited = DispatchSemaphore(value: 0)
            let process = self.process
            Thread.detachNewThread {
                process.waitUntilExit()
                exited.signal()
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            if exited.wait(timeout: .now() + seconds) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? stdin.fileHandleForWriting.close()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { terminate() }
    }
}

/// Reads a child's stdout on a thread of its own: hands over the first line, then drains the rest
/// so the child never blocks on a full pipe.
private final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private var buffer = Data()
    private var line: String?
    private var finished = false
    private let signal = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        self.handle = handle
        Thread.detachNewThread { [self] in run() }
    }

    /// Stdout reached end of file (the child closed it, normally by exiting).
    var isFinished: Bool { lock.withLock { finished } }

    /// What was read without a newline (for error messages).
    var partial: String {
        lock.withLock { String(decoding: buffer.prefix(2_000), as: UTF8.self) }
    }

    func firstLine(timeoutSeconds: Double) -> String? {
        _ = signal.wait(timeout: .now() + timeoutSeconds)
        return lock.withLock { line }
    }

    private func run() {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            lock.withLock {
                guard line == nil else { return }
                buffer.append(chunk)
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    signal.signal()
                }
            }
        }
        lock.withLock { finished = true }
        signal.signal()
    }
}
