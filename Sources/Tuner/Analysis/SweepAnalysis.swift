import Foundation

/// The verdict of a sweep.
public struct SweepAnalysis: Sendable, Hashable, Codable {
    public var alpha: Double
    public var candidates: [CandidateSummary]
    /// Name of the winning candidate, or nil: "no significant winner".
    public var winner: String?
    /// One sentence explaining the verdict.
    public var verdict: String
    public var paretoFront: [String]
    /// For a capacity search (one axis, `workload.participants`): the largest room whose every
    /// smaller tested room also met every constraint. Nil for other sweeps.
    public var capacity: CapacityResult?

    /// Summarises trial records. A winner must be significantly better than the baseline on the
    /// primary objective after Holm correction, not significantly worse on any other objective,
    /// and meet every constraint; among several, the largest improvement wins.
    public init(plan: SweepPlan, records: [TrialRecord], alpha: Double = 0.05, resamples: Int = 2_000) {
        let experiment = plan.experiment
        self.alpha = alpha
        let ok = records.filter { $0.status == .ok && $0.result != nil }
        var summaries: [CandidateSummary] = []
        for candidate in plan.candidates {
            let mine = ok.filter { $0.candidate == candidate.index }
            let names = Set(mine.flatMap { $0.result!.metrics.keys }).sorted()
            var metrics: [String: MetricSummary] = [:]
            for name in names {
                let xs = mine.compactMap { $0.result!.metrics[name] }.filter(\.isFinite)
                guard !xs.isEmpty else { continue }
                let seed = experiment.seed ^ SweepPlan.fnv1a(Array("\(candidate.index)|\(name)".utf8))
                let ci = Statistics.bootstrapMeanInterval(xs, resamples: resamples, seed: seed)
                metrics[name] = MetricSummary(n: xs.count, mean: Statistics.mean(xs),
                                              standardDeviation: Statistics.standardDeviation(xs), ciLow: ci.low, ciHigh: ci.high)
            }
            let checks = experiment.constraints.map { c -> ConstraintCheck in
                let value = metrics[c.metric]?.mean
                return ConstraintCheck(constraint: c.description, value: value, satisfied: value.map(c.isSatisfied) ?? false)
            }
            summaries.append(CandidateSummary(
                index: candidate.index, name: candidate.name, configHash: candidate.configHash,
                assignments: candidate.assignments, trialsOK: mine.count,
                trialsFailed: records.filter { $0.candidate == candidate.index && $0.status == .failed }.count,
                metrics: metrics, comparisons: [], constraints: checks, meetsConstraints: checks.allSatisfy(\.satisfied),
                paretoOptimal: false))
        }

        // Paired comparisons with the baseline, Holm-corrected per objective across candidates.
        let baseline = Dictionary(ok.filter { $0.candidate == 0 }.map { ("\($0.networkIndex)/\($0.repetition)", $0) },
                                  uniquingKeysWith: { a, _ in a })
        for objective in experiment.objectives {
            var rows: [(Int, BaselineComparison)] = []
            for summary in summaries where summary.index != 0 {
                var diffs: [Double] = []
                for record in ok where record.candidate == summary.index {
                    guard let ref = baseline["\(record.networkIndex)/\(record.repetition)"],
                          let a = record.result!.metrics[objective.metric], let b = ref.result!.metrics[objective.metric],
                          a.isFinite, b.isFinite else { continue }
                    diffs.append(a - b)
                }
                let seed = experiment.seed ^ SweepPlan.fnv1a(Array("diff|\(summary.index)|\(objective.metric)".utf8))
                let p = diffs.isEmpty ? 1 : Statistics.signFlipPValue(diffs, seed: seed)
                let ci = Statistics.bootstrapMeanInterval(diffs, resamples: resamples, seed: seed &+ 1)
                let meanDiff = Statistics.mean(diffs)
                rows.append((summary.index, BaselineComparison(
                    metric: objective.metric, direction: objective.direction, pairs: diffs.count,
                    meanDifference: meanDiff, ciLow: ci.low, ciHigh: ci.high, pValue: p, pAdjusted: p, significant: false,
                    better: !diffs.isEmpty && objective.improvement(meanDiff, over: 0) > 0)))
            }
            let adjusted = Statistics.holmAdjusted(rows.map(\.1.pValue))
            for (k, (index, var row)) in rows.enumerated() {
                row.pAdjusted = adjusted[k]
                row.significant = adjusted[k] < alpha
                summaries[index].comparisons.append(row)
            }
        }

        // Pareto front among candidates meeting the constraints.
        let eligible = summaries.filter { s in
            s.meetsConstraints && experiment.objectives.allSatisfy { s.metrics[$0.metric]?.mean.isFinite ?? false }
        }
        let points = eligible.map { s in
            experiment.objectives.map { o in (o.direction == .minimize ? 1 : -1) * s.metrics[o.metric]!.mean }
        }
        let front = Set(Statistics.paretoFront(points).map { eligible[$0].index })
        for i in summaries.indices { summaries[i].paretoOptimal = front.contains(summaries[i].index) }
        paretoFront = summaries.filter(\.paretoOptimal).map(\.name)
        candidates = summaries

        let primary = experiment.objectives[0]
        let winners = summaries.filter { s in
            guard s.index != 0, let first = s.comparisons.first, first.significant, first.better, s.meetsConstraints
            else { return false }
            return !s.comparisons.dropFirst().contains { $0.significant && !$0.better }
        }
        let best = winners.max { a, b in
            primary.improvement(a.comparisons[0].meanDifference, over: 0) < primary.improvement(b.comparisons[0].meanDifference, over: 0)
        }
        winner = best?.name
        if let best, let c = best.comparisons.first {
            verdict = "\(best.name) is significantly better than baseline on \(primary.description): "
                + "mean difference \(Self.format(c.meanDifference)) (95% CI \(Self.format(c.ciLow))…\(Self.format(c.ciHigh))), "
                + "Holm-adjusted p = \(Self.format(c.pAdjusted)), and meets every constraint."
        } else {
            let vetoed = summaries.filter { s in
                s.index != 0 && (s.comparisons.first.map { $0.significant && $0.better } ?? false) && !s.meetsConstraints
            }
            let minPairs = summaries.dropFirst().compactMap { $0.comparisons.first?.pairs }.min() ?? 0
            var why = "no significant winner: no candidate is significantly better than baseline on \(primary.description)"
            if !vetoed.isEmpty { why += "; better but violating constraints: " + vetoed.map(\.name).joined(separator: "; ") }
            let challengers = summaries.count - 1
            let floor = Double(challengers) * pow(2, Double(1 - minPairs))
            if minPairs > 0 && minPairs <= 16 && floor >= alpha {
                why += " (with \(minPairs) paired observations and \(challengers) candidates the smallest attainable Holm-adjusted p is \(Self.format(min(1, floor))))"
            }
            verdict = why + "."
        }
        capacity = Self.capacity(plan: plan, summaries: summaries)
        if let capacity { verdict += " " + capacity.sentence }
    }

    /// The capacity verdict of a sweep over `workload.participants` alone. Rooms without any
    /// trial (skipped by `strategy: capacity`) are left out of the verdict and listed as skipped.
    static func capacity(plan: SweepPlan, summaries: [CandidateSummary]) -> CapacityResult? {
        let experiment = plan.experiment
        guard experiment.axes.count == 1, experiment.axes[0].key == "workload.participants" else { return nil }
        let all = summaries.map { summary -> (participants: Int, meets: Bool, ran: Bool) in
            let workload = plan.candidates[summary.index].workload ?? experiment.workload
            return (workload.participants, summary.meetsConstraints && summary.trialsOK > 0,
                    summary.trialsOK + summary.trialsFailed > 0)
        }.sorted { $0.participants < $1.participants }
        let rooms = all.filter(\.ran)
        var largest: Int?
        for room in rooms {
            guard room.meets else { break }
            largest = room.participants
        }
        return CapacityResult(largest: largest, tested: rooms.map(\.participants),
                              skipped: all.filter { !$0.ran }.map(\.participants),
                              constraints: experiment.constraints.map(\.description))
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x != 0 && abs(x) < 0.001 { return String(format: "%.2e", x) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }
}

/// The outcome of a capacity search.
public struct CapacityResult: Sendable, Hashable, Codable {
    /// The largest room (participants) that met every constraint with every smaller room meeting
    /// them too; nil when the smallest tested room already failed.
    public var largest: Int?
    /// Room sizes tested, ascending.
    public var tested: [Int]
    /// Room sizes on the axis that a bisection (`strategy: capacity`) did not need to run.
    public var skipped: [Int]
    public var constraints: [String]

    public init(largest: Int?, tested: [Int], skipped: [Int] = [], constraints: [String]) {
        self.largest = largest
        self.tested = tested
        self.skipped = skipped
        self.constraints = constraints
    }

    private enum CodingKeys: String, CodingKey { case largest, tested, skipped, constraints }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        largest = try c.decodeIfPresent(Int.self, forKey: .largest)
        tested = try c.decode([Int].self, forKey: .tested)
        skipped = try c.decodeIfPresent([Int].self, forKey: .skipped) ?? []
        constraints = try c.decode([String].self, forKey: .constraints)
    }

    var sentence: String {
        let rooms = tested.map(String.init).joined(separator: ", ")
        let rule = constraints.isEmpty ? "every trial succeeding" : constraints.joined(separator: ", ")
        let bisection = skipped.isEmpty ? "" : " Bisection skipped \(skipped.map(String.init).joined(separator: ", "))."
        if let largest {
            return "Capacity: \(largest) participants is the largest room tested (\(rooms)) that meets \(rule).\(bisection)"
        }
        return "Capacity: no room tested (\(rooms)) meets \(rule).\(bisection)"
    }
}
