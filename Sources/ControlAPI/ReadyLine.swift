import Foundation

/// The one JSON line `sfulab serve` prints on stdout once its control API accepts connections:
/// `{"event":"listening","control":"http://127.0.0.1:PORT","workers":N,"pid":P}`.
/// Whoever starts the server as a child process (the live trial runner, the tests) waits for it.
public struct ReadyLine: Codable, Sendable, Hashable {
    /// Always `listening`.
    public var event: String
    /// Base URL of the control API, for example `http://127.0.0.1:8080`.
    public var control: String
    /// Worker event loops (`worker.count`).
    public var workers: Int
    /// Process id of the server.
    public var pid: Int32

    public init(event: String = "listening", control: String, workers: Int, pid: Int32) {
        self.event = event
        self.control = control
        self.workers = workers
        self.pid = pid
    }

    /// The line as printed, fields in the documented order (no newline).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func quoted(_ text: String) -> String { String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self) }
        return "{\"event\":\(quoted(event)),\"control\":\(quoted(control)),\"workers\":\(workers),\"pid\":\(pid)}"
    }
}

/// The body of every response that reports success and nothing else: `{}`.
public struct EmptyResponse: Codable, Sendable, Hashable {
    public init() {}
}
