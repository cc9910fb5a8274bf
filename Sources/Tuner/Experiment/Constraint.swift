import Foundation

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
