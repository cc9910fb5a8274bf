import Engine

/// Received bytes turned into a bit-rate series: every `step`, the rate over the last `window`
/// (sliding; during the first window, over the time elapsed since `start`).
public struct BitrateMeter: Sendable, Hashable {
    /// Length of the averaging window (a whole number of steps).
    public let window: Duration
    /// Time between samples.
    public let step: Duration
    /// Where the series starts (t = 0 of its points).
    public let start: Instant
    private var buckets: [Int]
    private var currentBucket = 0
    private var nextSampleAt: Instant
    /// The series so far: `t` in seconds since `start`, `value` in kb/s.
    public private(set) var series: [SeriesPoint] = []
    /// All bytes recorded.
    public private(set) var totalBytes = 0
    private var sampledBytes = 0

    /// A meter sampling every `step` the rate over the last `window` (rounded up to whole steps).
    public init(start: Instant = .zero, window: Duration = .seconds(1), step: Duration = .milliseconds(500)) {
        let stepNanoseconds = max(step.nanoseconds, 1)
        let steps = Int(max(1, (window.nanoseconds + stepNanoseconds - 1) / stepNanoseconds))
        self.start = start
        self.step = .nanoseconds(stepNanoseconds)
        self.window = .nanoseconds(stepNanoseconds * Int64(steps))
        buckets = [Int](repeating: 0, count: steps)
        nextSampleAt = start + .nanoseconds(stepNanoseconds)
    }

    /// Records `bytes` received at `time` (times must not decrease; earlier ones count now).
    public mutating func record(bytes: Int, at time: Instant) {
        advance(to: time)
        buckets[currentBucket] += bytes
        totalBytes += bytes
    }

    /// Emits every sample due up to `time` (call at the end of a trial).
    public mutating func advance(to time: Instant) {
        while time >= nextSampleAt {
            let elapsed = min(nextSampleAt - start, window)
            let bytes = buckets.reduce(0, +)
            series.append(SeriesPoint(t: (nextSampleAt - start).secondsDouble,
                                      value: Double(bytes) * 8 / elapsed.secondsDouble / 1_000))
            sampledBytes = totalBytes
            currentBucket = (currentBucket + 1) % buckets.count
            buckets[currentBucket] = 0
            nextSampleAt = nextSampleAt + step
        }
    }

    /// Mean rate over the whole series, kb/s (total bytes over the time sampled); nil before the first sample.
    public var meanKilobitsPerSecond: Double? {
        guard let last = series.last, last.t > 0 else { return nil }
        return Double(sampledBytes) * 8 / last.t / 1_000
    }
}
