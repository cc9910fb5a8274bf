import Engine
import Harness

/// A checked, resolved experiment: everything the sweep needs, nothing left to look up.
public struct Experiment: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The file it came from, if any.
    public var file: String?
    /// The profile every candidate starts from (candidate 0, `baseline`).
    public var base: Profile
    public var workload: WorkloadSpec
    public var networks: [NetworkScenario]
    public var duration: Duration
    public var axes: [SweepAxis]
    public var strategy: SweepStrategy
    public var repetitions: Int
    public var seed: UInt64
    /// First is primary; more than one also yields a Pareto front.
    public var objectives: [Objective]
    public var constraints: [Constraint]
    public var mode: RunMode

    public init(name: String, description: String = "", file: String? = nil, base: Profile = Profile(),
                workload: WorkloadSpec = WorkloadSpec(), networks: [NetworkScenario], duration: Duration = .seconds(30),
                axes: [SweepAxis], strategy: SweepStrategy = .grid, repetitions: Int = 5, seed: UInt64 = 1,
                objectives: [Objective] = [Objective(metric: "frameLatency.p95", direction: .minimize)],
                constraints: [Constraint] = [], mode: RunMode = .simulated) {
        self.name = name
        self.description = description
        self.file = file
        self.base = base
        self.workload = workload
        self.networks = networks
        self.duration = duration
        self.axes = axes
        self.strategy = strategy
        self.repetitions = repetitions
        self.seed = seed
        self.objectives = objectives
        self.constraints = constraints
        self.mode = mode
    }
}

/// A resolved sweep axis.
public struct SweepAxis: Sendable, Hashable, Codable {
    public var key: String
    public var values: [ConfigValue]

    public init(key: String, values: [ConfigValue]) {
        self.key = key
        self.values = values
    }
}

/// How candidates are chosen.
public enum SweepStrategy: Sendable, Hashable, Codable {
    case grid
    case random(samples: Int)
    case successiveHalving(eta: Int, initialRepetitions: Int)
}

/// Minimise or maximise.
public enum ObjectiveDirection: String, Sendable, Hashable, Codable {
    case minimize, maximize
}

/// One objective: a metric name and a direction.
public struct Objective: Sendable, Hashable, Codable {
    public var metric: String
    public var direction: ObjectiveDirection

    public init(metric: String, direction: ObjectiveDirection) {
        self.metric = metric
        self.direction = direction
    }

    /// Positive when `candidate` is better than `reference`.
    public func improvement(_ candidate: Double, over reference: Double) -> Double {
        direction == .minimize ? reference - candidate : candidate - reference
    }

    public var description: String { "\(direction.rawValue) \(metric)" }
}

/// `metric < threshold` and friends.
public struct Constraint: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=="
    }

    public var metric: String
    public var comparison: Comparison
    public var threshold: Double

    public init(metric: String, comparison: Comparison, threshold: Double) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
    }

    /// Parses `freezesPerMinute < 1`; nil when the text is not of that form.
    public init?(parsing text: String) {
        let ops: [Comparison] = [.lessOrEqual, .greaterOrEqual, .equal, .less, .greater]
        for op in ops {
            let parts = text.components(separatedBy: op.rawValue)
            guard parts.count == 2 else { continue }
            let metric = parts[0].trimmingCharacters(in: .whitespaces)
            let number = parts[1].trimmingCharacters(in: .whitespaces)
            guard !metric.isEmpty, !metric.contains(where: { "<>=".contains($0) }), let value = YAMLScalar.double(number)
            else { return nil }
            self.init(metric: metric, comparison: op, threshold: value)
            return
        }
        return nil
    }

    public func isSatisfied(by value: Double) -> Bool {
        switch comparison {
        case .less: return value < threshold
        case .lessOrEqual: return value <= threshold
        case .greater: return value > threshold
        case .greaterOrEqual: return value >= threshold
        case .equal: return value == threshold
        }
    }

    public var description: String { "\(metric) \(comparison.rawValue) \(threshold.formatted())" }
}

extension Double {
    /// Compact text: `1`, `0.25`, `1000000`.
    func formatted() -> String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
