import Foundation
import Harness

/// A finished trial as stored in `<run>/trials/<id>.json`: what ran, and its result or its error.
public struct TrialRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case ok, failed
    }

    public var id: String
    public var candidate: Int
    public var candidateName: String
    public var configHash: String
    public var network: String
    public var networkIndex: Int
    public var repetition: Int
    public var seed: UInt64
    public var status: Status
    /// The error message of a failed trial.
    public var error: String?
    public var result: TrialResult?

    public init(trial: PlannedTrial, candidate: Candidate, status: Status, error: String? = nil, result: TrialResult? = nil) {
        self.id = trial.id
        self.candidate = trial.candidate
        self.candidateName = candidate.name
        self.configHash = candidate.configHash
        self.network = trial.network
        self.networkIndex = trial.networkIndex
        self.repetition = trial.repetition
        self.seed = trial.seed
        self.status = status
        self.error = error
        self.result = result
    }
}

/// A run directory: `trials/` holds one JSON file per finished trial, written atomically.
///
/// ```
/// Reports/<experiment>/<run-id>/
///   plan.json        experiment, candidates and trial ids (written first)
///   trials/<id>.json one TrialRecord per finished trial
///   results.json  trials.csv  report.md  report.html   (written together at the end)
/// ```
public struct RunStore: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    public var trialsDirectory: URL { directory.appendingPathComponent("trials") }

    public func trialURL(_ id: String) -> URL { trialsDirectory.appendingPathComponent("\(id).json") }

    /// Stores a finished trial.
    public func save(_ record: TrialRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(record), to: trialURL(record.id))
    }

    /// Every stored trial record that parses, by id.
    public func load() -> [String: TrialRecord] {
        let files = (try? FileManager.default.contentsOfDirectory(at: trialsDirectory, includingPropertiesForKeys: nil)) ?? []
        var out: [String: TrialRecord] = [:]
        for file in files where file.pathExtension == "json" && !file.lastPathComponent.hasPrefix(".") {
            guard let data = try? Data(contentsOf: file), let record = try? JSONDecoder().decode(TrialRecord.self, from: data)
            else { continue }
            out[record.id] = record
        }
        return out
    }

    /// A new run id: UTC timestamp and a short hash, e.g. `20261125T034012Z-3f9a1c2e`.
    public static func newRunID(experiment: Experiment, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let hash = SweepPlan.fnv1a(Array("\(experiment.name)|\(experiment.seed)|\(now.timeIntervalSince1970)".utf8))
        return formatter.string(from: now) + "-" + String(String(format: "%016llx", hash).prefix(8))
    }

    /// The latest run directory of an experiment under `reports`, if any (for `--resume`).
    public static func latestRun(experiment: String, reports: URL) -> URL? {
        let folder = reports.appendingPathComponent(slug(experiment))
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return runs.filter { !$0.hasPrefix(".") }.sorted().last.map { folder.appendingPathComponent($0) }
    }

    /// File-name-safe form of a name.
    public static func slug(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let s = String(name.map { allowed.contains($0) ? $0 : "-" })
        return s.isEmpty ? "experiment" : s
    }
}
