import Foundation
import Harness

/// Executes a sweep plan's trials through a `TrialExecutor`, `jobs` at a time, storing each
/// finished trial at once. A failed trial is recorded with its error; the sweep goes on.
public struct SweepRunner: Sendable {
    public var executor: any TrialExecutor
    public var store: RunStore
    /// Trials in flight at once. Default: active processor count; never more than the
    /// executor's `maximumConcurrency` (1 for live trials).
    public var jobs: Int
    /// A trial still running after this long is recorded as failed. Nil: no limit.
    public var trialTimeout: Duration?
    public var progress: (any SweepProgress)?

    public init(executor: any TrialExecutor, store: RunStore, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                trialTimeout: Duration? = nil, progress: (any SweepProgress)? = nil) {
        self.executor = executor
        self.store = store
        self.jobs = max(1, min(jobs, executor.maximumConcurrency ?? jobs))
        self.trialTimeout = trialTimeout
        self.progress = progress
    }

    /// Runs every trial the plan's strategy calls for and returns all records (reused and new).
    /// With `resume`, trials already stored as `ok` in the run directory are not run again.
    public func run(_ plan: SweepPlan, resume: Bool) async throws -> [TrialRecord] {
        // Only trials of this plan count: a run directory may hold files of an edited experiment.
        let planned = Set(plan.trials().map(\.id))
        var records: [String: TrialRecord] = resume
            ? store.load().filter { $0.value.status == .ok && planned.contains($0.key) } : [:]
        let experiment = plan.experiment
        switch experiment.strategy {
        case .grid, .random:
            try await execute(plan.trials(), plan: plan, records: &records)
        case .successiveHalving(let eta, let first):
            var survivors = plan.candidates.map(\.index)
            var reps = min(first, experiment.repetitions)
            while true {
                try await execute(plan.trials(candidates: survivors, repetitions: 0..<reps), plan: plan, records: &records)
                let challengers = survivors.filter { $0 != 0 }
                if reps >= experiment.repetitions || challengers.count <= 1 {
                    if reps < experiment.repetitions {
                        try await execute(plan.trials(candidates: survivors), plan: plan, records: &records)
                    }
                    break
                }
                let objective = experiment.objectives[0]
                let ranked = challengers.sorted { a, b in
                    let ma = Self.mean(records.values, candidate: a, metric: objective.metric)
                    let mb = Self.mean(records.values, candidate: b, metric: objective.metric)
                    return objective.improvement(ma, over: mb) > 0
                }
                let keep = max(1, Int((Double(challengers.count) / Double(eta)).rounded(.up)))
                survivors = [0] + ranked.prefix(keep)
                reps = min(experiment.repetitions, reps * eta)
            }
        case .capacitySearch:
            try await searchCapacity(plan, records: &records)
        }
        return records.values.sorted { $0.id < $1.id }
    }

    /// Bisection over room sizes (docs/tuner.md, "Capacity search"): runs every trial of the
    /// smallest room, then of the largest, then of the middle of the interval between the largest
    /// room known to pass and the smallest known to fail, until they are neighbours. A room passes
    /// when it has a successful trial and the mean of each constrained metric over its successful
    /// trials meets the constraint: the rule `SweepAnalysis` applies afterwards.
    private func searchCapacity(_ plan: SweepPlan, records: inout [String: TrialRecord]) async throws {
        func size(_ candidate: Candidate) -> Int { (candidate.workload ?? plan.experiment.workload).participants }
        let rooms = plan.candidates.sorted { (size($0), $0.index) < (size($1), $1.index) }.map(\.index)
        guard !rooms.isEmpty else { return }
        func passes(_ position: Int) async throws -> Bool {
            let candidate = rooms[position]
            try await execute(plan.trials(candidates: [candidate]), plan: plan, records: &records)
            return Self.meetsConstraints(records.values, candidate: candidate, constraints: plan.experiment.constraints)
        }
        guard try await passes(0), rooms.count > 1 else { return }
        var pass = 0, fail = rooms.count - 1
        if try await passes(fail) { return }
        while fail - pass > 1 {
            let middle = (pass + fail) / 2
            if try await passes(middle) { pass = middle } else { fail = middle }
        }
    }

    /// Whether a candidate's successful trials meet every constraint on average.
    static func meetsConstraints(_ records: some Sequence<TrialRecord>, candidate: Int, constraints: [Constraint]) -> Bool {
        let ok = records.filter { $0.candidate == candidate && $0.status == .ok && $0.result != nil }
        guard !ok.isEmpty else { return false }
        return constraints.allSatisfy { constraint in
            let values = ok.compactMap { $0.result?.metrics[constraint.metric] }.filter(\.isFinite)
            return !values.isEmpty && constraint.isSatisfied(by: values.reduce(0, +) / Double(values.count))
        }
    }

    static func mean(_ records: some Sequence<TrialRecord>, candidate: Int, metric: String) -> Double {
        let values = records.filter { $0.candidate == candidate }.compactMap { $0.result?.metrics[metric] }
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    private func execute(_ trials: [PlannedTrial], plan: SweepPlan, records: inout [String: TrialRecord]) async throws {
        // Interleaved: every candidate's trial of one (repetition, network) before the next, so
        // a drift in the machine's load during a live sweep falls on all candidates alike
        // instead of on whichever ran last (simulated results do not depend on the order).
        let pending = trials.filter { records[$0.id] == nil }
            .sorted { ($0.repetition, $0.networkIndex, $0.candidate) < ($1.repetition, $1.networkIndex, $1.candidate) }
        progress?.started(total: trials.count, alreadyDone: trials.count - pending.count)
        var done = trials.count - pending.count
        try await withThrowingTaskGroup(of: TrialRecord.self) { group in
            var next = pending.makeIterator()
            func addNext() -> Bool {
                guard let trial = next.next() else { return false }
                let candidate = plan.candidates[trial.candidate]
                group.addTask { try await self.runOne(trial, candidate: candidate) }
                return true
            }
            for _ in 0..<jobs { if !addNext() { break } }
            while let record = try await group.next() {
                records[record.id] = record
                done += 1
                progress?.finished(record, done: done, total: trials.count)
                _ = addNext()
            }
        }
        progress?.completed()
    }

    private func runOne(_ trial: PlannedTrial, candidate: Candidate) async throws -> TrialRecord {
        let record: TrialRecord
        do {
            let result = try await runWithTimeout(trial.spec)
            record = TrialRecord(trial: trial, candidate: candidate, status: .ok, result: result)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            record = TrialRecord(trial: trial, candidate: candidate, status: .failed, error: "\(error)")
        }
        try store.save(record)
        return record
    }

    private func runWithTimeout(_ spec: TrialSpec) async throws -> TrialResult {
        guard let trialTimeout else { return try await executor.run(spec) }
        let executor = self.executor
        return try await withThrowingTaskGroup(of: TrialResult?.self) { group in
            group.addTask { try await executor.run(spec) }
            group.addTask {
                try await Task.sleep(for: trialTimeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw TunerError(.timeout, "trial timed out after \(trialTimeout)") }
            return first
        }
    }
}
