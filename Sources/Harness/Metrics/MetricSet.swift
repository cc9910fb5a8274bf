import Engine

/// Everything measured in one trial, flattened by `flattened()` to stable dotted names
/// (`packetDelay.p95`, `freezesPerMinute`, ...) that experiments use in objectives and constraints.
/// Every name, its unit and its exact definition are listed in docs/metrics.md.
///
/// Collect per stream or per subscriber (a `FreezeDetector`, a `JitterEstimator`, a
/// `BitrateMeter` each), fold them in with the `add` methods, and `merge` sets from several
/// subscribers or participants.
public struct MetricSet: Sendable {
    /// Publisher send to subscriber receive of the same media packet, ms.
    public var packetDelay = LatencyHistogram()
    /// Publisher capture of a frame to the frame being complete and decodable at a subscriber, ms.
    public var frameLatency = LatencyHistogram()
    /// Subscription start to the first decodable frame, ms (one value per subscribed video stream).
    public var timeToFirstFrame = LatencyHistogram()
    /// Engine ingress to egress of a forwarded packet, ms.
    public var engineLatency = LatencyHistogram()
    /// Mean RFC 3550 interarrival jitter of each received stream, ms (one value per stream).
    public var jitter = LatencyHistogram()
    /// Freezes over all subscribed video streams.
    public var freezeCount = 0
    /// Total duration of those freezes.
    public var freezeDuration = Duration.zero
    /// Rendered video time over all subscribed video streams (first to last frame, summed).
    public var videoDuration = Duration.zero
    /// Media packets subscribers should have received.
    public var packetsExpected = 0
    /// Of those, packets still missing when their frame's playout deadline passed (after NACK/RTX).
    public var packetsLostAfterRecovery = 0
    /// Mean received bit rate of each subscriber, kb/s (one value per subscriber).
    public var receivedBitrate = ValueSummary()
    /// Time series for reports, by name.
    public var series: [String: [SeriesPoint]] = [:]
    /// Further named figures (must follow the same dotted naming and be documented).
    public var extra: [String: Double] = [:]

    public init() {}

    /// Folds in one video stream's freeze detector.
    public mutating func add(freezes detector: FreezeDetector) {
        freezeCount += detector.freezeCount
        freezeDuration += detector.totalFreezeDuration
        videoDuration += detector.renderedDuration
    }

    /// Folds in one stream's jitter estimator (its mean estimate; nothing if it saw < 2 packets).
    public mutating func add(jitter estimator: JitterEstimator) {
        if let mean = estimator.meanJitterMilliseconds { jitter.record(milliseconds: mean) }
    }

    /// Folds in one subscriber's received bit rate; its series is kept as `series[name]` when a name is given.
    public mutating func add(receivedBitrate meter: BitrateMeter, seriesName: String? = nil) {
        if let mean = meter.meanKilobitsPerSecond { receivedBitrate.record(mean) }
        if let seriesName { series[seriesName] = meter.series }
    }

    /// Adds everything in `other` (series with the same name: `other` wins).
    public mutating func merge(_ other: MetricSet) {
        packetDelay.merge(other.packetDelay)
        frameLatency.merge(other.frameLatency)
        timeToFirstFrame.merge(other.timeToFirstFrame)
        engineLatency.merge(other.engineLatency)
        jitter.merge(other.jitter)
        freezeCount += other.freezeCount
        freezeDuration += other.freezeDuration
        videoDuration += other.videoDuration
        packetsExpected += other.packetsExpected
        packetsLostAfterRecovery += other.packetsLostAfterRecovery
        receivedBitrate.merge(other.receivedBitrate)
        series.merge(other.series) { _, new in new }
        extra.merge(other.extra) { _, new in new }
    }

    /// Every figure by its stable name. Figures that need data nobody recorded are left out
    /// (an empty histogram gives only `name.count = 0`), never reported as 0.
    public func flattened() -> [String: Double] {
        var result = extra
        for (prefix, histogram) in [("packetDelay", packetDelay), ("frameLatency", frameLatency),
                                    ("timeToFirstFrame", timeToFirstFrame), ("engineLatency", engineLatency),
                                    ("jitter", jitter)] {
            result.merge(histogram.metrics(prefix: prefix)) { _, new in new }
        }
        result["freezeCount"] = Double(freezeCount)
        result["freezeDuration.total"] = freezeDuration.milliseconds
        if videoDuration > .zero {
            result["freezesPerMinute"] = Double(freezeCount) / (videoDuration.secondsDouble / 60)
            result["freezeDuration.fraction"] = freezeDuration.secondsDouble / videoDuration.secondsDouble
        }
        result["packetsExpected"] = Double(packetsExpected)
        result["packetsLostAfterRecovery"] = Double(packetsLostAfterRecovery)
        if packetsExpected > 0 {
            result["lossAfterRecovery"] = Double(packetsLostAfterRecovery) / Double(packetsExpected)
        }
        result.merge(receivedBitrate.metrics(prefix: "receivedBitrate")) { _, new in new }
        return result
    }
}
