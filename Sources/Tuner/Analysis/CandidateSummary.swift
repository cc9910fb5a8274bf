/// A metric over a candidate's trials: mean and its bootstrap confidence interval.
public struct MetricSummary: Sendable, Hashable, Codable {
    public var n: Int
    public var mean: Double
    public var standardDeviation: Double
    public var ciLow: Double
    public var ciHigh: Double
}

/// A candidate against the baseline on one objective, paired by (network, repetition).
public struct BaselineComparison: Sendable, Hashable, Codable {
    public var metric: String
    public var direction: ObjectiveDirection
    /// Paired observations used.
    public var pairs: Int
    /// Mean of candidate − baseline.
    public var meanDifference: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// Two-sided sign-flip permutation p-value.
    public var pValue: Double
    /// Holm–Bonferroni adjusted across the candidates.
    public var pAdjusted: Double
    /// Adjusted p below alpha.
    public var significant: Bool
    /// The difference points the objective's way (smaller for minimize).
    public var better: Bool
}

/// A constraint evaluated on a candidate's mean.
public struct ConstraintCheck: Sendable, Hashable, Codable {
    public var constraint: String
    /// Mean of the metric; nil when no trial reported it.
    public var value: Double?
    public var satisfied: Bool
}

/// Everything the report says about one candidate.
public struct CandidateSummary: Sendable, Hashable, Codable {
    public var index: Int
    public var name: String
    public var configHash: String
    public var assignments: [SweepAssignment]
    public var trialsOK: Int
    public var trialsFailed: Int
    public var metrics: [String: MetricSummary]
    /// One per objective; empty for the baseline.
    public var comparisons: [BaselineComparison]
    public var constraints: [ConstraintCheck]
    public var meetsConstraints: Bool
    /// On the Pareto front of the objectives (among candidates meeting the constraints).
    public var paretoOptimal: Bool
}
