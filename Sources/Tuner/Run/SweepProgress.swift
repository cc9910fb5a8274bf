import Foundation

/// Receives progress from the sweep runner.
public protocol SweepProgress: Sendable {
    func started(total: Int, alreadyDone: Int)
    func finished(_ record: TrialRecord, done: Int, total: Int)
    func completed()
}

/// Progress on standard error: a bar with an ETA when standard output is a terminal
/// (`isatty(1)`), one plain line per trial otherwise (logs, CI).
public final class TerminalProgress: SweepProgress, @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private var start = Date()
    private var baseline = 0

    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - interactive: draw a bar (default: standard output is a terminal).
    ///   - write: where text goes (default: standard error, keeping stdout for `--json`).
    public init(interactive: Bool = isatty(1) != 0,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.interactive = interactive
        self.write = write
    }

    public func started(total: Int, alreadyDone: Int) {
        lock.withLock {
            start = Date()
            baseline = alreadyDone
            if alreadyDone > 0 { emit("resuming: \(alreadyDone) of \(total) trials already stored\n") }
        }
    }

    public func finished(_ record: TrialRecord, done: Int, total: Int) {
        lock.withLock {
            let elapsed = Date().timeIntervalSince(start)
            let ran = max(1, done - baseline)
            let eta = elapsed / Double(ran) * Double(total - done)
            if interactive {
                let width = 30
                let filled = total == 0 ? width : width * done / total
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                emit("\r[\(bar)] \(done)/\(total)  ETA \(Self.clock(eta))  \(record.status == .failed ? "(1 failed) " : "")")
            } else {
                let tail = record.status == .failed ? " FAILED: \(record.error ?? "")" : ""
                emit("trial \(done)/\(total) \(record.id) \(record.candidateName) \(record.network) r\(record.repetition)\(tail)\n")
            }
        }
    }

    public func completed() {
        if interactive { lock.withLock { emit("\n") } }
    }

    private func emit(_ text: String) { write(text) }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return String(format: "%02d:%02d", s / 60, s % 60)
    }
}
