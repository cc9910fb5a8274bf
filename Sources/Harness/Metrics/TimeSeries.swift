import Engine

/// A sampled time series (bandwidth estimate, layer, queue length...): keeps at most one point
/// per `interval`, the first value recorded in it, with `t` in seconds since `start`.
public struct TimeSeries: Sendable, Hashable {
    /// Least time between kept points.
    public let interval: Duration
    /// t = 0 of the points.
    public let start: Instant
    private var nextSampleAt: Instant
    /// Points kept so far.
    public private(set) var points: [SeriesPoint] = []

    public init(start: Instant = .zero, interval: Duration = .milliseconds(100)) {
        self.start = start
        self.interval = interval
        nextSampleAt = start
    }

    /// Offers a value observed at `time`; kept if at least `interval` passed since the last kept
    /// point's slot.
    public mutating func record(_ value: Double, at time: Instant) {
        guard time >= nextSampleAt, value.isFinite else { return }
        points.append(SeriesPoint(t: (time - start).secondsDouble, value: value))
        // Next slot boundary after `time`, aligned to `start`.
        let step = max(interval.nanoseconds, 1)
        let slots = (time - start).nanoseconds / step + 1
        nextSampleAt = start + .nanoseconds(slots * step)
    }

    /// Mean of the kept values (nil when empty).
    public var mean: Double? { points.isEmpty ? nil : points.reduce(0) { $0 + $1.value } / Double(points.count) }
    /// Smallest kept value.
    public var minimum: Double? { points.map(\.value).min() }
    /// Largest kept value.
    public var maximum: Double? { points.map(\.value).max() }
    /// Last kept value.
    public var last: Double? { points.last?.value }
}
