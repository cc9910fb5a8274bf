/// Candidate selection strategy.
public enum StrategyKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every point of the product of the axes.
    case grid
    /// `samples` points drawn from the grid with the experiment seed.
    case random
    /// Successive halving: every point with few repetitions, then the best 1/`eta` with more.
    case halving
    /// Capacity search by bisection over a `workload.participants` axis: the smallest and the
    /// largest room first, then halving the interval between the largest passing and the
    /// smallest failing room. Assumes a larger room never does better than a smaller one.
    case capacity
}

/// `strategy: grid` or `strategy: {kind: random, samples: 20}`.
public struct StrategyDocument: Codable, Sendable, Hashable {
    public var kind: StrategyKind = .grid
    /// Points drawn by `random`.
    public var samples: Int?
    /// Halving keeps the best 1/eta each round. Default 2.
    public var eta: Int?
    /// Halving's first-round repetitions. Default 2.
    public var initialRepetitions: Int?

    public init() {}

    private struct Body: Codable {
        var kind: StrategyKind?
        var samples: Int?
        var eta: Int?
        var initialRepetitions: Int?
    }

    public init(from decoder: any Decoder) throws {
        if (decoder as? NodeDecoder)?.isScalar ?? false {
            kind = try decoder.singleValueContainer().decode(StrategyKind.self)
            return
        }
        let body = try Body(from: decoder)
        kind = body.kind ?? .grid
        samples = body.samples
        eta = body.eta
        initialRepetitions = body.initialRepetitions
    }

    public func encode(to encoder: any Encoder) throws {
        try Body(kind: kind, samples: samples, eta: eta, initialRepetitions: initialRepetitions).encode(to: encoder)
    }
}

/// `objective: {minimize: metric}` or a list of such goals.
public struct ObjectiveDocument: Codable, Sendable, Hashable {
    public var goals: [ObjectiveGoal]

    public init(goals: [ObjectiveGoal]) { self.goals = goals }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (decoder as? NodeDecoder)?.isSequence ?? false {
            goals = try container.decode([ObjectiveGoal].self)
        } else {
            goals = [try container.decode(ObjectiveGoal.self)]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(goals)
    }
}

/// `{minimize: metric}` or `{maximize: metric}`.
public struct ObjectiveGoal: Codable, Sendable, Hashable {
    public var minimize: String?
    public var maximize: String?

    public init(minimize: String? = nil, maximize: String? = nil) {
        self.minimize = minimize
        self.maximize = maximize
    }
}
