/// Did-you-mean suggestions by Levenshtein distance.
public enum EditDistance {
    /// Levenshtein distance between `a` and `b`, case-insensitive.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The closest candidate to `word`, if it is close enough to be a plausible typo.
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word, candidate)
            if best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
        }
        guard let (name, d) = best else { return nil }
        let limit = max(2, min(word.count, name.count) / 3)
        return d <= limit ? name : nil
    }

    /// `did you mean `x`?` or a list of the valid names when nothing is close.
    public static func fix(for word: String, among candidates: [String]) -> String {
        if let s = suggestion(for: word, among: candidates) { return "did you mean `\(s)`?" }
        if candidates.isEmpty { return "remove it" }
        let shown = candidates.sorted().prefix(12).map { "`\($0)`" }.joined(separator: ", ")
        return "valid keys here: \(shown)\(candidates.count > 12 ? ", ..." : "")"
    }
}
