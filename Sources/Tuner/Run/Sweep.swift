import Foundation
import Yams

/// Options of `sfulab sweep`.
public struct SweepOptions: Sendable {
    /// Run directory; default `<reportsRoot>/<experiment>/<run-id>`.
    public var outDirectory: URL?
    /// Folder holding every experiment's runs. Default `Reports`.
    public var reportsRoot: URL
    /// Trials in flight. Default: active processor count.
    public var jobs: Int
    /// Skip trials already stored (in `outDirectory`, or the experiment's latest run).
    public var resume: Bool
    /// Per-trial time limit.
    public var trialTimeout: Duration?
    /// Significance level of the winner test.
    public var alpha: Double
    public var bootstrapResamples: Int

    public init(outDirectory: URL? = nil, reportsRoot: URL = URL(fileURLWithPath: "Reports"),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, resume: Bool = false,
                trialTimeout: Duration? = .seconds(600), alpha: Double = 0.05, bootstrapResamples: Int = 2_000) {
        self.outDirectory = outDirectory
        self.reportsRoot = reportsRoot
        self.jobs = jobs
        self.resume = resume
        self.trialTimeout = trialTimeout
        self.alpha = alpha
        self.bootstrapResamples = bootstrapResamples
    }
}

/// What a sweep produced.
public struct SweepOutcome: Sendable {
    public var runDirectory: URL
    public var results: ResultsDocument
    /// Winning candidate name, or nil: no significant winner.
    public var winner: String? { results.winner }
    public var reportHTML: URL { runDirectory.appendingPathComponent("report.html") }
}

/// `sfulab sweep`: plan, run, analyse, report.
public enum Sweep {
    /// Runs an experiment end to end and writes its report files into the run directory.
    public static func run(_ experiment: Experiment, options: SweepOptions, executor: any TrialExecutor,
                           progress: (any SweepProgress)? = nil, gitRevision: String? = Sweep.gitRevision()) async throws
        -> SweepOutcome
    {
        let plan = try SweepPlan(experiment: experiment)
        let directory: URL
        if let out = options.outDirectory {
            directory = out
        } else if options.resume, let latest = RunStore.latestRun(experiment: experiment.name, reports: options.reportsRoot) {
            directory = latest
        } else {
            directory = options.reportsRoot.appendingPathComponent(RunStore.slug(experiment.name))
                .appendingPathComponent(RunStore.newRunID(experiment: experiment))
        }
        let store = RunStore(directory: directory)
        try writePlan(plan, to: directory)
        let runner = SweepRunner(executor: executor, store: store, jobs: options.jobs, trialTimeout: options.trialTimeout,
                                 progress: progress)
        let records = try await runner.run(plan, resume: options.resume)
        let analysis = SweepAnalysis(plan: plan, records: records, alpha: options.alpha, resamples: options.bootstrapResamples)
        let results = ResultsDocument(runID: directory.lastPathComponent, plan: plan, records: records, analysis: analysis,
                                      gitRevision: gitRevision)
        var extra: [(name: String, data: Data)] = []
        if let name = analysis.winner, let winner = plan.candidates.first(where: { $0.name == name }) {
            extra.append(("winner.yaml", Data(try winnerYAML(winner, runID: directory.lastPathComponent).utf8)))
        }
        try ReportRenderer(results: results).write(to: directory, extra: extra)
        if extra.isEmpty { try? FileManager.default.removeItem(at: directory.appendingPathComponent("winner.yaml")) }
        return SweepOutcome(runDirectory: directory, results: results)
    }

    /// The winning profile as a complete profile file (input for promotion).
    static func winnerYAML(_ winner: Candidate, runID: String) throws -> String {
        "# Winner of run \(runID): \(winner.name)\n# config hash \(winner.configHash)\nkind: profile\n"
            + (try YAMLEncoder().encode(winner.profile))
    }

    struct PlanFile: Codable {
        var experiment: String
        var candidates: [Candidate]
        var trials: [String]
    }

    static func writePlan(_ plan: SweepPlan, to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let file = PlanFile(experiment: plan.experiment.name, candidates: plan.candidates, trials: plan.trials().map(\.id))
        try AtomicFile.write(try encoder.encode(file), to: directory.appendingPathComponent("plan.json"))
    }

    /// `git rev-parse HEAD` of the current directory, or nil.
    public static func gitRevision() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
