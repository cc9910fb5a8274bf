import Foundation
import Harness

/// Runs one trial. The sweep runner calls it concurrently (up to `--jobs`), so it must be
/// `Sendable`; the same spec must give the same metrics (the seed is in the spec).
public protocol TrialExecutor: Sendable {
    func run(_ spec: TrialSpec) async throws -> TrialResult
}

/// The executor `sfulab sweep` uses. The harness owner points this at the real trial runner (for
/// example `SubprocessTrialExecutor()` once `sfulab trial --spec FILE --json` exists). Until then it
/// throws `TunerError.Code.runnerUnavailable`.
public func makeDefaultExecutor(mode: RunMode) throws -> any TrialExecutor {
    throw TunerError(.runnerUnavailable,
                     "trial runner not available yet: `sfulab trial` (Harness) has not landed; \(mode.rawValue) sweeps need it")
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

        // Standard error goes to a file, not a pipe: a chatty trial must not block on a full pipe
        // while this side waits for standard output.
        let errorFile = directory.appendingPathComponent("sfulab-trial-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--spec", specFile.path, "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data: Data = try await withTaskCancellationHandler {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        } onCancel: {
            process.terminate()
        }
        guard process.terminationStatus == 0 else {
            let message = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
            throw TunerError(.trialFailed, "trial exited with status \(process.terminationStatus): \(message.prefix(2_000))")
        }
        do { return try JSONDecoder().decode(TrialResult.self, from: data) } catch {
            throw TunerError(.trialFailed, "trial printed no valid TrialResult JSON: \(error)")
        }
    }
}
