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

