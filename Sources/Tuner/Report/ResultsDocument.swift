import Foundation
import Harness

/// `results.json`: the complete, versioned record of a run. Schema: docs/results-schema.md.
public struct ResultsDocument: Sendable, Codable {
    /// Bumped on any incompatible change; readers refuse versions they do not know.
    public static let currentSchemaVersion = 1
    /// The tuner's version, recorded in every results file.
    public static let toolVersion = "0.1.0"

    public var schemaVersion: Int
    public var tool: ToolInfo
    public var runID: String
    /// ISO 8601 UTC.
    public var createdAt: String
    public var experiment: ExperimentInfo
    /// Seed of each (network, repetition), shared by every candidate.
    public var seeds: [SeedInfo]
    public var candidates: [CandidateSummary]
    /// Every trial, in id order, with its metrics (and series) or its error.
    public var trials: [TrialRecord]
    public var alpha: Double
    public var verdict: String
    public var paretoFront: [String]
    /// Name of the winning candidate, or null when no candidate is significantly better.
    public var winner: String?
    /// Capacity searches only (one `workload.participants` axis): the largest room that met every
    /// constraint; absent for other sweeps.
    public var capacity: CapacityResult?

    public struct ToolInfo: Sendable, Codable, Hashable {
        public var name: String
        public var version: String
        /// `git rev-parse HEAD` of the working tree, when available.
        public var gitRevision: String?
    }

    public struct ExperimentInfo: Sendable, Codable, Hashable {
        public var name: String
        public var description: String
        public var file: String?
        public var mode: RunMode
        public var durationSeconds: Double
        public var repetitions: Int
        public var seed: UInt64
        public var strategy: SweepStrategy
        public var objectives: [Objective]
        public var constraints: [String]
        public var axes: [SweepAxis]
        public var networks: [NetworkScenario]
        public var workload: WorkloadSpec
    }

    public struct SeedInfo: Sendable, Codable, Hashable {
        public var network: String
        public var repetition: Int
        public var seed: UInt64
    }

    public init(runID: String, createdAt: Date = Date(), plan: SweepPlan, records: [TrialRecord], analysis: SweepAnalysis,
                gitRevision: String?) {
        let e = plan.experiment
        schemaVersion = Self.currentSchemaVersion
        tool = ToolInfo(name: "sfulab", version: Self.toolVersion, gitRevision: gitRevision)
        self.runID = runID
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        self.createdAt = formatter.string(from: createdAt)
        experiment = ExperimentInfo(name: e.name, description: e.description, file: e.file, mode: e.mode,
                                    durationSeconds: Double(e.duration.components.seconds) + Double(e.duration.components.attoseconds) / 1e18,
                                    repetitions: e.repetitions, seed: e.seed, strategy: e.strategy, objectives: e.objectives,
                                    constraints: e.constraints.map(\.description), axes: e.axes, networks: e.networks,
                                    workload: e.workload)
        seeds = e.networks.enumerated().flatMap { n, network in
            (0..<e.repetitions).map { r in
                SeedInfo(network: network.name, repetition: r,
                         seed: SweepPlan.trialSeed(experiment: e.seed, network: network.name, networkIndex: n, repetition: r))
            }
        }
        candidates = analysis.candidates
        trials = records.sorted { $0.id < $1.id }
        alpha = analysis.alpha
        verdict = analysis.verdict
        paretoFront = analysis.paretoFront
        winner = analysis.winner
        capacity = analysis.capacity
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, tool, runID, createdAt, experiment, seeds, candidates, trials, alpha, verdict, paretoFront, winner
        case capacity
    }

    /// Like the synthesized encoding, except that `winner` is always written (null when absent).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(tool, forKey: .tool)
        try c.encode(runID, forKey: .runID)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(trials, forKey: .trials)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(paretoFront, forKey: .paretoFront)
        if let winner { try c.encode(winner, forKey: .winner) } else { try c.encodeNil(forKey: .winner) }
        try c.encodeIfPresent(capacity, forKey: .capacity)
    }

    /// Pretty, sorted-key JSON; non-finite numbers as the strings `NaN`, `Infinity`, `-Infinity`.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }

    /// Reads a results file, refusing unknown schema versions.
    public static func load(from url: URL) throws -> ResultsDocument {
        guard let data = try? Data(contentsOf: url) else { throw TunerError(.badInput, "cannot read \(url.path)") }
        struct Version: Decodable { var schemaVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw TunerError(.badInput, "\(url.path) is not a results file (no schemaVersion)")
        }
        guard version.schemaVersion == currentSchemaVersion else {
            throw TunerError(.badInput, "\(url.path) has schemaVersion \(version.schemaVersion); this sfulab reads \(currentSchemaVersion)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do { return try decoder.decode(ResultsDocument.self, from: data) } catch {
            throw TunerError(.badInput, "\(url.path) does not match results schema \(currentSchemaVersion): \(error)")
        }
    }
}
