import Foundation
import Harness

/// Runs one trial. The sweep runner calls it concurrently (up to `--jobs`), so it must be
/// `Sendable`; the same spec must give the same metrics (the seed is in the spec).
public protocol TrialExecutor: Sendable {
    func run(_ spec: TrialSpec) async throws -> TrialResult
}

/// The executor `sfulab sweep` uses: simulated trials run as `sfulab trial --spec FILE --json`
/// child processes (one per job). Live mode needs the engine server, which has not landed yet.
public func makeDefaultExecutor(mode: RunMode) throws -> any TrialExecutor {
    switch mode {
    case .simulated:
        return SubprocessTrialExecutor()
    case .live:
        throw TunerError(.runnerUnavailable,
                         "live mode needs the engine server (`sfulab serve`), which is not built yet; run this experiment with --mode simulated if it sweeps no live-only knob")
    }
}

/// Runs each trial as `sfulab trial --spec FILE.json --json` in a child process of the current
/// executable: real parallelism for `--jobs`, and a crash in one trial cannot take the sweep down.
public struct SubprocessTrialExecutor: TrialExecutor {
    /// Executable to spawn; default: this process's executable.
    public var executable: URL
    /// Arguments before `--spec FILE --json`.
    public var arguments: [String]

    public init(executable: URL? = nil, arguments: [String] = ["trial"]) {
        self.executable = executable ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        self.arguments = arguments
    }

    public func run(_ spec: TrialSpec) async throws -> TrialResult {
        let directory = FileManager.default.temporaryDirectory
        let specFile = directory.appendingPathComponent("sfulab-spec-\(UUID().uuidString).json")
        try JSONEncoder().encode(spec).write(to: specFile, options: .atomic)
        defer { try? FileManager.default.removeItem(at: specFile) }

        // Output goes to files, not pipes, and the exit is awaited through `terminationHandler`:
        // no cooperative thread blocks on a pipe or on `waitUntilExit`, whatever `--jobs` is.
        let outputFile = directory.appendingPathComponent("sfulab-trial-\(UUID().uuidString).out")
        let errorFile = directory.appendingPathComponent("sfulab-trial-\(UUID().uuidString).err")
        for file in [outputFile, errorFile] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw TunerError(.io, "cannot create \(file.path)")
        }
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer {
            try? output.close()
            try? errors.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--spec", specFile.path, "--json"]
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }
        }
        let data = (try? Data(contentsOf: outputFile)) ?? Data()
        guard status == 0 else {
            let message = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
            throw TunerError(.trialFailed, "trial exited with status \(status): \(message.prefix(2_000))")
        }
        do { return try JSONDecoder().decode(TrialResult.self, from: data) } catch {
            throw TunerError(.trialFailed, "trial printed no valid TrialResult JSON: \(error)")
        }
    }
}
