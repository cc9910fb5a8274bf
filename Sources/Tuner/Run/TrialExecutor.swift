import Foundation
import Harness

/// Runs one trial. The sweep runner calls it concurrently (up to `--jobs`, and at most
/// `maximumConcurrency`), so it must be `Sendable`; in simulated mode the same spec must give the
/// same metrics (the seed is in the spec).
public protocol TrialExecutor: Sendable {
    func run(_ spec: TrialSpec) async throws -> TrialResult
    /// Trials this executor may run at once, whatever `--jobs` says; nil: no limit of its own.
    var maximumConcurrency: Int? { get }
}

extension TrialExecutor {
    public var maximumConcurrency: Int? { nil }
}

/// The executor `sfulab sweep` uses: simulated trials run as `sfulab trial --spec FILE --json`
/// child processes (one per job); live trials as `sfulab trial --mode live` child processes, one
/// at a time, each against a `sfulab serve` it starts with its candidate's profile, with its
/// impairments applied where `impairment` says (nil: the trial command's default).
public func makeDefaultExecutor(mode: RunMode, impairment: LiveImpairment? = nil) -> any TrialExecutor {
    switch mode {
    case .simulated: SubprocessTrialExecutor()
    case .live: LiveTrialExecutor(impairment: impairment)
    }
}

/// Live trials (docs/live-mode.md): each runs as `sfulab trial --mode live --spec FILE --json`
/// in a child process, which starts its own `sfulab serve` with the trial's profile (a sweep
/// never attaches to a running server: every candidate's profile must reach the engine).
/// One at a time: live trials measure real timing, and trials running side by side would
/// compete for the same cores and skew each other's figures.
public struct LiveTrialExecutor: TrialExecutor {
    public var subprocess: SubprocessTrialExecutor

    /// `impairment` is passed on as `--impairment`; nil leaves the trial command's default (the
    /// kernel path where it is available, docs/live-mode.md).
    public init(executable: URL? = nil, impairment: LiveImpairment? = nil) {
        subprocess = SubprocessTrialExecutor(executable: executable, arguments: ["trial", "--mode", "live"]
            + (impairment.map { ["--impairment", $0.rawValue] } ?? []))
    }

    public var maximumConcurrency: Int? { 1 }

    public func run(_ spec: TrialSpec) async throws -> TrialResult {
        let result = try await subprocess.run(spec)
        guard result.mode == "live" else {
            throw TunerError(.trialFailed, "a live trial returned a \(result.mode) result: \(subprocess.executable.path) does not run live trials")
        }
        return result
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
