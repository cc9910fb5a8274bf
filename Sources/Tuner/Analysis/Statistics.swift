import Engine

/// The statistics the tuner reports. Methods and sources: docs/statistics.md.
public enum Statistics {
    public static func mean(_ xs: [Double]) -> Double {
        xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }

    /// Sample standard deviation (n − 1).
    public static func standardDeviation(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        let m = mean(xs)
        return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
    }

    /// Percentile bootstrap confidence interval of the mean (Efron & Tibshirani 1993, ch. 13):
    /// resample with replacement `resamples` times, take the (1−c)/2 and (1+c)/2 quantiles of the
    /// resampled means. Seeded, so the same data give the same interval.
    public static func bootstrapMeanInterval(_ xs: [Double], resamples: Int = 2_000, confidence: Double = 0.95,
                                             seed: UInt64) -> (low: Double, high: Double) {
        guard !xs.isEmpty else { return (.nan, .nan) }
        guard xs.count > 1 else { return (xs[0], xs[0]) }
        var generator = SeededGenerator(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        for i in 0..<resamples {
            var sum = 0.0
            for _ in 0..<xs.count { sum += xs[Int(generator.next() % UInt64(xs.count))] }
            means[i] = sum / Double(xs.count)
        }
        means.sort()
        return (quantile(sorted: means, (1 - confidence) / 2), quantile(sorted: means, (1 + confidence) / 2))
    }

    /// Linear-interpolated quantile of sorted data (Hyndman & Fan type 7).
    public static func quantile(sorted xs: [Double], _ q: Double) -> Double {
        guard !xs.isEmpty else { return .nan }
        let h = Double(xs.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down)), hi = Int(h.rounded(.up))
        return xs[lo] + (h - Double(lo)) * (xs[hi] - xs[lo])
    }

    /// Two-sided paired sign-flip permutation test of mean difference zero (Fisher 1935; Good 2005):
    /// under H0 each paired difference is symmetric about 0, so its sign is exchangeable. Exact
    /// (all 2^n sign patterns) for n ≤ `exactLimit`, otherwise `samples` seeded random patterns with
    /// the (b+1)/(m+1) estimate (Phipson & Smyth 2010). The smallest exact p is 2/2^n.
    public static func signFlipPValue(_ differences: [Double], seed: UInt64, exactLimit: Int = 16,
                                      samples: Int = 20_000) -> Double {
        let n = differences.count
        guard n > 0 else { return 1 }
        let observed = abs(differences.reduce(0, +))
        let scale = differences.reduce(0) { max($0, abs($1)) }
        let tolerance = max(scale, 1) * 1e-9
        if observed <= tolerance { return 1 }
        if n <= exactLimit {
            var extreme = 0
            let patterns = 1 << n
            for pattern in 0..<patterns {
                var sum = 0.0
                for i in 0..<n { sum += (pattern >> i) & 1 == 1 ? -differences[i] : differences[i] }
                if abs(sum) >= observed - tolerance { extreme += 1 }
            }
            return Double(extreme) / Double(patterns)
        }
        var generator = SeededGenerator(seed: seed)
        var extreme = 0
        for _ in 0..<samples {
            var sum = 0.0
            var bits = generator.next(), used = 0
            for d in differences {
                if used == 64 { bits = generator.next(); used = 0 }
                sum += bits & 1 == 1 ? -d : d
                bits >>= 1
                used += 1
            }
            if abs(sum) >= observed - tolerance { extreme += 1 }
        }
        return Double(extreme + 1) / Double(samples + 1)
    }

    /// Holm–Bonferroni step-down adjusted p-values (Holm 1979): sort ascending, multiply the k-th
    /// smallest by (m − k + 1), enforce monotonicity, cap at 1. Controls the family-wise error rate.
    public static func holmAdjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Indices of points no other point dominates, every coordinate to be minimised.
    public static func paretoFront(_ points: [[Double]]) -> [Int] {
        points.indices.filter { i in
            !points.indices.contains { j in
                j != i && zip(points[j], points[i]).allSatisfy { $0 <= $1 } && zip(points[j], points[i]).contains { $0 < $1 }
            }
        }
    }
}
