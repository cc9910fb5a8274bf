import Engine
import Harness

/// `simulated` (virtual time, deterministic) or `live` (real sockets and clocks).
public enum RunMode: String, Codable, Sendable, Hashable, CaseIterable {
    case simulated, live
}

/// An experiment file (`Experiments/*.yaml`) as written. `ExperimentLoader` checks it and turns it
/// into an `Experiment`. Defaults are the property initialisers; a file names what it changes.
public struct ExperimentDocument: Codable, Sendable, Hashable, ConfigDefaults {
    /// Optional `kind: experiment` marker (files are also recognised by their keys).
    public var kind: String?
    /// Name used for the report folder; defaults to the file name.
    public var name: String = ""
    public var description: String = ""
    /// Base profile: a path relative to this file, or an inline profile mapping. Default: built-in baseline.
    public var base: ProfileSource?
    /// The media the participants send.
    public var workload = WorkloadSpec()
    /// Networks to run every candidate under: preset names or inline scenarios.
    public var network: [NetworkChoice] = [.preset("4g")]
    /// Simulated duration of each trial: `30s`, `2m`, `500ms`.
    public var duration: String = "30s"
    /// Sweep axes; their product (or a sample of it) are the candidates.
    public var sweep: [SweepAxisDocument] = []
    /// How candidates are chosen from the sweep space.
    public var strategy = StrategyDocument()
    /// Trials per candidate and network.
    public var repetitions: Int = 5
    /// Experiment seed; trial seeds derive from it.
    public var seed: UInt64 = 1
    /// What to optimise: `{minimize: metric}` or a list of them (Pareto front).
    public var objective = ObjectiveDocument(goals: [ObjectiveGoal(minimize: "frameLatency.p95")])
    /// Conditions every winner must meet, for example `freezesPerMinute < 1`.
    public var constraints: [String] = []
    public var mode: RunMode = .simulated

    public init() {}
    public static var configDefault: ExperimentDocument { ExperimentDocument() }
}

/// `base:` — a profile file path or an inline profile.
public enum ProfileSource: Codable, Sendable, Hashable {
    case path(String)
    case inline(Profile)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (decoder as? NodeDecoder)?.isScalar ?? false {
            self = .path(try container.decode(String.self))
        } else {
            self = .inline(try container.decode(Profile.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .path(let p): try container.encode(p)
        case .inline(let profile): try container.encode(profile)
        }
    }
}

/// One `network:` entry — a preset name or an inline `NetworkScenario`.
public enum NetworkChoice: Codable, Sendable, Hashable {
    case preset(String)
    case inline(NetworkScenario)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (decoder as? NodeDecoder)?.isScalar ?? true, let name = try? container.decode(String.self) {
            self = .preset(name)
        } else {
            self = .inline(try container.decode(NetworkScenario.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .preset(let name): try container.encode(name)
        case .inline(let scenario): try container.encode(scenario)
        }
    }
}

/// One `sweep:` axis: a dotted profile key and either `values` or a `range`.
public struct SweepAxisDocument: Codable, Sendable, Hashable {
    /// Dotted key path into the profile, for example `webRtcTransport.initialAvailableOutgoingBitrate`.
    public var key: String
    public var values: [ConfigValue]?
    public var range: RangeDocument?
}

/// `range: {from, to, steps, scale}`.
public struct RangeDocument: Codable, Sendable, Hashable {
    public var from: Double
    public var to: Double
    /// Points including both ends. Default 5.
    public var steps: Int?
    /// `linear` (default) or `log`.
    public var scale: RangeScale?
}

/// Spacing of range points.
public enum RangeScale: String, Codable, Sendable, Hashable, CaseIterable {
    case linear, log
}

/// Candidate selection strategy.
public enum StrategyKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every point of the product of the axes.
    case grid
    /// `samples` points drawn from the grid with the experiment seed.
    case random
    /// Successive halving: every point with few repetitions, then the best 1/`eta` with more.
    case halving
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
