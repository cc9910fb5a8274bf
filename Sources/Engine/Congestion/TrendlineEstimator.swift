/// Estimates the trend of the one-way queuing delay (libwebrtc `TrendlineEstimator`, the
/// trendline variant of draft-ietf-rmcat-gcc-02 §5.3): accumulates the per-group delay
/// variation, smooths it exponentially, and fits a line by least squares over the last
/// `windowSize` points (arrival time, smoothed delay). The slope is positive while a queue builds.
public struct TrendlineEstimator: Sendable {
    /// Points in the regression window. Default 20.
    public let windowSize: Int
    /// Exponential smoothing coefficient of the accumulated delay. Default 0.9.
    public let smoothingCoefficient: Double

    private var window: [(x: Double, y: Double)] = []
    private var firstArrivalMilliseconds: Double?
    private var accumulatedDelayMilliseconds = 0.0
    private var smoothedDelayMilliseconds = 0.0
    /// Deltas seen so far (capped at 1000).
    public private(set) var deltaCount = 0
    /// The last slope (ms of delay per ms of time).
    public private(set) var trend = 0.0

    public init(windowSize: Int = 20, smoothingCoefficient: Double = 0.9) {
        self.windowSize = windowSize
        self.smoothingCoefficient = smoothingCoefficient
        window.reserveCapacity(windowSize + 1)
    }

    /// Adds the deltas of one packet group that completed at `arrivedAt`; returns the trend.
    @discardableResult
    public mutating func update(deltas: InterArrival.Deltas, arrivedAt: Instant) -> Double {
        let delta = deltas.arrival.milliseconds - deltas.send.milliseconds
        deltaCount = min(deltaCount + 1, 1_000)
        let arrival = arrivedAt.milliseconds
        if firstArrivalMilliseconds == nil { firstArrivalMilliseconds = arrival }
        accumulatedDelayMilliseconds += delta
        smoothedDelayMilliseconds = smoothingCoefficient * smoothedDelayMilliseconds
            + (1 - smoothingCoefficient) * accumulatedDelayMilliseconds
        window.append((arrival - firstArrivalMilliseconds!, smoothedDelayMilliseconds))
        if window.count > windowSize { window.removeFirst() }
        if window.count == windowSize, let slope = Self.slope(window) { trend = slope }
        return trend
    }

    /// Least-squares slope of `points`; nil when all x are equal.
    static func slope(_ points: [(x: Double, y: Double)]) -> Double? {
        let count = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.x } / count
        let meanY = points.reduce(0) { $0 + $1.y } / count
        var numerator = 0.0
        var denominator = 0.0
        for point in points {
            numerator += (point.x - meanX) * (point.y - meanY)
            denominator += (point.x - meanX) * (point.x - meanX)
        }
        return denominator == 0 ? nil : numerator / denominator
    }
}
