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
