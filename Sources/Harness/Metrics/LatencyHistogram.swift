import Engine
import Histogram

/// Latencies in milliseconds, stored with microsecond resolution in an HdrHistogram
/// (3 significant digits: a reported percentile is within 0.1% of the recorded value), whose
/// counts are kept in `HistogramCounts` while recording and handed to hdrhistogram-swift when
/// read.
///
/// Percentiles come from the histogram; `mean` is exact (a running sum, not the histogram's
/// bucketed mean). Negative inputs (clock mismatches) are recorded as 0 and counted in
/// `clampedCount`.
public struct LatencyHistogram: Sendable {
    private var counts: HistogramCounts
    private var sumMicroseconds: Double = 0
    /// Number of recorded values.
    public private(set) var count = 0
    /// Values below 0 that were recorded as 0.
    public private(set) var clampedCount = 0

    /// Creates an empty histogram tracking up to `highestTrackableMilliseconds` (it grows past that
    /// if needed).
    public init(highestTrackableMilliseconds: Double = 60_000) {
        counts = HistogramCounts(highestTrackableValue: UInt64(Swift.max(highestTrackableMilliseconds, 1) * 1_000),
                                 significantDigits: .three)
    }

    /// Records one latency in milliseconds.
    public mutating func record(milliseconds: Double) {
        let exact = milliseconds * 1_000
        // Every latency a trial records: a non-negative value below 2^52, rounded half away
        // from zero as `rounded()` does (without its out-of-line `round` call): the conversion
        // truncates, and the remainder is exact in this range.
        if exact >= 0, exact < Self.integralBound {
            let truncated = UInt64(exact)
            let value = exact - Double(truncated) >= 0.5 ? truncated + 1 : truncated
            add(microseconds: value)
            return
        }
        guard milliseconds.isFinite else { return }
        var microseconds = exact.rounded()
        if microseconds < 0 {
            clampedCount += 1
            microseconds = 0
        }
        add(microseconds: UInt64(Swift.min(microseconds, Double(UInt64.max / 2))))
    }

    /// 2^52: from here on every `Double` is an integer.
    private static let integralBound: Double = 4_503_599_627_370_496

    @inline(__always)
    private mutating func add(microseconds value: UInt64) {
        counts.record(value)
        sumMicroseconds += Double(value)
        count += 1
    }

    /// Records one latency.
    public mutating func record(_ duration: Duration) {
        record(milliseconds: duration.milliseconds)
    }

    /// Records the time from `start` to `end`.
    public mutating func record(from start: Instant, to end: Instant) {
        // `(end - start).milliseconds` without the 128-bit `Duration` in between (same value).
        record(milliseconds: Double(end.nanoseconds &- start.nanoseconds) / 1e6)
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        counts.add(other.counts)
        sumMicroseconds += other.sumMicroseconds
        count += other.count
        clampedCount += other.clampedCount
    }

    /// The value (ms) at or below which `percentile` percent (0...100) of the values fall; nil when empty.
    public func percentile(_ percentile: Double) -> Double? {
        guard count > 0 else { return nil }
        return Double(counts.histogram.valueAtPercentile(percentile)) / 1_000
    }

    /// `percentile(_:)` of each of `ascending` (increasing, each above 0 and below 100), for a
    /// histogram that is not empty, in one walk over the recorded values instead of one walk
    /// each: the same arithmetic as `Histogram.valueAtPercentile`, whose walk stops at the first
    /// index whose running count reaches the percentile's count (always an index holding values).
    func percentiles(_ ascending: [Double]) -> [Double] {
        Self.percentiles(ascending, of: counts.histogram)
    }

    /// `percentiles(_:)` of the histogram the counts were handed to.
    private static func percentiles(_ ascending: [Double], of histogram: Histogram<UInt64>) -> [Double] {
        let total = Double(histogram.totalCount)
        var results: [Double] = []
        results.reserveCapacity(ascending.count)
        var values = histogram.recordedValues().makeIterator()
        var current = values.next()
        for level in ascending {
            let requested = Swift.min(Swift.max(level.nextDown, 0), 100)
            let target = Swift.max(1, UInt64((requested * total / 100).rounded(.up)))
            while let value = current, value.totalCountToThisValue < target { current = values.next() }
            guard let value = current else {
                results.append(Double(histogram.valueAtPercentile(level)) / 1_000)
                continue
            }
            results.append(Double(Swift.max(Swift.min(value.value, histogram.maxRecorded), histogram.min)) / 1_000)
        }
        return results
    }

    /// Median, ms.
    public var p50: Double? { percentile(50) }
    /// 90th percentile, ms.
    public var p90: Double? { percentile(90) }
    /// 95th percentile, ms.
    public var p95: Double? { percentile(95) }
    /// 99th percentile, ms.
    public var p99: Double? { percentile(99) }
    /// Exact mean, ms; nil when empty.
    public var mean: Double? { count > 0 ? sumMicroseconds / Double(count) / 1_000 : nil }
    /// Largest value (to histogram precision), ms; nil when empty.
    public var max: Double? { count > 0 ? Double(counts.histogram.max) / 1_000 : nil }
    /// Smallest value (to histogram precision), ms; nil when empty.
    public var min: Double? { count > 0 ? Double(counts.histogram.min) / 1_000 : nil }

    /// `prefix.p50`, `.p90`, `.p95`, `.p99`, `.mean`, `.max` (ms, only when not empty) and
    /// `prefix.count` (always).
    public func metrics(prefix: String) -> [String: Double] {
        var result: [String: Double] = ["\(prefix).count": Double(count)]
        guard count > 0 else { return result }
        // The library's histogram is rebuilt from the counts once for all of them.
        let histogram = counts.histogram
        let levels = Self.percentiles([50, 90, 95, 99], of: histogram)
        result["\(prefix).p50"] = levels[0]
        result["\(prefix).p90"] = levels[1]
        result["\(prefix).p95"] = levels[2]
        result["\(prefix).p99"] = levels[3]
        result["\(prefix).mean"] = mean
        result["\(prefix).max"] = Double(histogram.max) / 1_000
        return result
    }
}
