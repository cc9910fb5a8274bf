/// Durations as people write them in YAML and on the command line: `500ms`, `30s`, `2m`, `1h`,
/// `1.5s`, or a bare number of seconds.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = String(trimmed.dropLast(suffix.count))
            // "ms" also ends in "s": only accept a plain number before the suffix.
            guard let value = Double(number), value.isFinite, value >= 0 else { continue }
            return .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        if let value = Double(trimmed), value.isFinite, value >= 0 { return .nanoseconds(Int64((value * 1e9).rounded())) }
        return nil
    }

    /// `30s`, `1.5s`, `2m`: the shortest exact form.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.secondsDouble
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\(Int((seconds * 1_000).rounded()))ms"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
