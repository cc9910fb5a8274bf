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
    /// Bisection over the single `workload.participants` axis (`strategy: capacity`).
    case capacitySearch
}

