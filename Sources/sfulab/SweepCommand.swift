import ArgumentParser
import Foundation
import Harness
import Tuner

/// `sfulab sweep EXPERIMENT.yaml`: runs a sweep and prints the winner and the report path.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a parameter sweep declared in an experiment file and write a comparative report.",
        discussion: "Exit status: 0 the sweep ran (with or without a winner), 1 the trial runner failed, 2 bad input."
    )

    @Argument(help: "Experiment file (Experiments/*.yaml).")
    var experiment: String

    @Option(help: "Run directory (default Reports/<experiment>/<UTC timestamp>-<hash>).")
    var out: String?

    @Option(help: "Trials run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Skip trials already stored in --out, or in the experiment's latest run.")
    var resume = false

    @Option(help: "simulated or live; overrides the experiment's `mode`. Live trials run one at a time (docs/live-mode.md).")
    var mode: String?

    @Option(help: "Live mode: kernel or user, passed to every trial (`sfulab trial --impairment`); default: kernel where available.")
    var impairment: LiveImpairment?

    @Option(help: "Per-trial time limit in seconds.")
    var trialTimeout: Double = 600

    @Flag(help: "Print a machine-readable summary on stdout.")
    var json = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let mode, RunMode(rawValue: mode) == nil { throw ValidationError("--mode must be `simulated` or `live`") }
        guard trialTimeout > 0 else { throw ValidationError("--trial-timeout must be positive") }
    }

    func run() throws {
        let loaded: (Experiment, warnings: [TunerDiagnostic])
        do {
            loaded = try ExperimentLoader().loadExperiment(at: experiment, modeOverride: mode.flatMap(RunMode.init(rawValue:)))
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        for warning in loaded.warnings { printError(warning.description) }
        let experiment = loaded.0
        if impairment != nil, experiment.mode != .live {
            printError("error: --impairment needs live mode (--mode live or `mode: live` in the experiment)")
            throw ExitCode(2)
        }
        let executor = makeDefaultExecutor(mode: experiment.mode, impairment: impairment)
        if let limit = executor.maximumConcurrency, jobs > limit, experiment.mode == .live {
            printError("note: live mode runs trials one at a time (they measure real timing)")
        }
        let options = SweepOptions(outDirectory: out.map { URL(fileURLWithPath: $0) }, jobs: jobs, resume: resume,
                                   trialTimeout: .milliseconds(Int64(trialTimeout * 1000)))
        let outcome: SweepOutcome
        do {
            outcome = try runBlocking { try await Sweep.run(experiment, options: options, executor: executor, progress: TerminalProgress()) }
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        if json {
            let summary: [String: Any] = [
                "winner": outcome.winner.map { $0 as Any } ?? NSNull(), "verdict": outcome.results.verdict,
                "runDirectory": outcome.runDirectory.path, "report": outcome.reportHTML.path,
                "trials": outcome.results.trials.count,
                "failedTrials": outcome.results.trials.filter { $0.status == .failed }.count,
            ]
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(outcome.winner.map { "winner: \($0)" } ?? "no significant winner")
            print(outcome.results.verdict)
            print("report: \(outcome.reportHTML.path)")
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Runs async work from a synchronous command (the root command is synchronous).
func runBlocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}
