/// Count, sum, minimum and maximum of plain values (for figures that are not latencies, such as
/// per-subscriber bit rates).
public struct ValueSummary: Sendable, Hashable {
    public private(set) var count = 0
    public private(set) var sum = 0.0
    public private(set) var minimum: Double?
    public private(set) var maximum: Double?

    public init() {}

    /// Adds a value (non-finite values are ignored).
    public mutating func record(_ value: Double) {
        guard value.isFinite else { return }
        count += 1
        sum += value
        minimum = min(minimum ?? value, value)
        maximum = max(maximum ?? value, value)
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: ValueSummary) {
        count += other.count
        sum += other.sum
        if let low = other.minimum { minimum = min(minimum ?? low, low) }
        if let high = other.maximum { maximum = max(maximum ?? high, high) }
    }

    /// Mean, nil when empty.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// `prefix.mean`, `.min`, `.max` (only when not empty).
    public func metrics(prefix: String) -> [String: Double] {
        guard let mean, let minimum, let maximum else { return [:] }
        return ["\(prefix).mean": mean, "\(prefix).min": minimum, "\(prefix).max": maximum]
    }
}
