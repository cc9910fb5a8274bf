import Engine
import Foundation
import Harness

/// One profile under test. Candidate 0 is always the experiment's base profile, named `baseline`.
public struct Candidate: Sendable, Hashable, Codable {
    /// Position in the plan; 0 is the baseline.
    public var index: Int
    /// Readable name: `baseline` or `key=value, key=value`.
    public var name: String
    /// Knob assignments relative to the base profile.
    public var assignments: [SweepAssignment]
    public var profile: Profile
    /// The workload when the sweep varies it (`workload.*` axes); nil: the experiment's.
    public var workload: WorkloadSpec?
    /// FNV-1a 64 of the profile's canonical JSON (sorted keys), 16 hex digits.
    public var configHash: String
}

/// `key = value`.
public struct SweepAssignment: Sendable, Hashable, Codable {
    public var key: String
    public var value: ConfigValue
}

/// One trial to run: which candidate, which network, which repetition, the seed, and the spec.
public struct PlannedTrial: Sendable, Hashable, Codable {
    /// Stable id, also the trial file's name: `c003-n0-r2-<spec hash>`.
    public var id: String
    public var candidate: Int
    public var network: String
    public var networkIndex: Int
    public var repetition: Int
    /// Shared by every candidate for the same (network, repetition): common random numbers.
    public var seed: UInt64
    public var spec: TrialSpec
}

/// Candidates and trials of an experiment.
public struct SweepPlan: Sendable {
    public var experiment: Experiment
    public var candidates: [Candidate]

    /// Expands the experiment's axes with its strategy (grid product, or a seeded random sample).
    public init(experiment: Experiment) throws {
        self.experiment = experiment
        var candidates = [Candidate(index: 0, name: "baseline", assignments: [], profile: experiment.base, workload: nil,
                                    configHash: try Self.configHash(experiment.base))]
        var points: [[SweepAssignment]] = [[]]
        for axis in experiment.axes {
            points = points.flatMap { prefix in axis.values.map { prefix + [SweepAssignment(key: axis.key, value: $0)] } }
        }
        if experiment.axes.isEmpty { points = [] }
        if case .random(let samples) = experiment.strategy, samples < points.count {
            var generator = SeededGenerator(seed: experiment.seed ^ 0x5EED_CAFE)
            points = Array(points.shuffled(using: &generator).prefix(samples))
        }
        for point in points {
            let knobs = point.filter { !WorkloadPatch.isWorkloadKey($0.key) }
            let workloadKnobs = point.filter { WorkloadPatch.isWorkloadKey($0.key) }
            let patched = ProfilePatch.apply(knobs.map { ($0.key, $0.value) }, to: experiment.base)
            guard let profile = patched.value else { throw DiagnosticsError(patched.diagnostics) }
            var workload: WorkloadSpec?
            if !workloadKnobs.isEmpty {
                switch WorkloadPatch.apply(workloadKnobs.map { ($0.key, $0.value) }, to: experiment.workload) {
                case .success(let patchedWorkload): workload = patchedWorkload
                case .failure(let problem): throw TunerError(.badInput, "\(problem.message) (\(problem.fix))")
                }
            }
            let name = point.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            candidates.append(Candidate(index: candidates.count, name: name, assignments: point, profile: profile,
                                        workload: workload, configHash: try Self.configHash(profile)))
        }
        self.candidates = candidates
    }

    /// Trials for `candidates` (all by default) and `repetitions` (0..<experiment.repetitions by default).
    public func trials(candidates subset: [Int]? = nil, repetitions: Range<Int>? = nil) -> [PlannedTrial] {
        let reps = repetitions ?? 0..<experiment.repetitions
        var out: [PlannedTrial] = []
        for c in subset ?? candidates.map(\.index) {
            for (n, network) in experiment.networks.enumerated() {
                for r in reps {
                    let seed = Self.trialSeed(experiment: experiment.seed, network: network.name, networkIndex: n, repetition: r)
                    let spec = TrialSpec(profile: candidates[c].profile, workload: candidates[c].workload ?? experiment.workload, network: network,
                                         duration: experiment.duration, seed: seed)
                    let specHash = (try? Self.hash(of: spec)) ?? "0"
                    let id = String(format: "c%03d-n%d-r%d-", c, n, r) + specHash.prefix(10)
                    out.append(PlannedTrial(id: id, candidate: c, network: network.name, networkIndex: n, repetition: r,
                                            seed: seed, spec: spec))
                }
            }
        }
        return out
    }

    /// Seed of a (network, repetition) pair, derived from the experiment seed and shared by all candidates.
    public static func trialSeed(experiment seed: UInt64, network: String, networkIndex: Int, repetition: Int) -> UInt64 {
        var generator = SeededGenerator(seed: fnv1a(Array("\(seed)|\(networkIndex)|\(network)|\(repetition)".utf8)))
        return generator.next()
    }

    /// FNV-1a 64 of the canonical JSON of a profile, 16 hex digits.
    public static func configHash(_ profile: Profile) throws -> String { try hash(of: profile) }

    static func hash(of value: some Encodable) throws -> String {
        String(format: "%016llx", fnv1a(Array(try canonicalJSON(value))))
    }

    /// JSON with sorted keys: the canonical form hashed for configs and specs.
    static func canonicalJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// FNV-1a, 64-bit.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
