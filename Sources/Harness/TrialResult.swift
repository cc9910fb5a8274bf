/// What one trial measured. Every value was computed from what the engine and the simulated
/// participants actually did during the trial.
public struct TrialResult: Codable, Sendable, Hashable {
    /// Metric name (for example `frameLatency.p95`, `freezesPerMinute`) to value, in the unit
    /// the metric's documentation gives (ms for latencies).
    public var metrics: [String: Double]
    /// Time series for reports (bandwidth estimate, bitrate, layer), by name.
    public var series: [String: [SeriesPoint]]
    /// Simulated time covered.
    public var simulatedSeconds: Double
    /// Wall-clock time the trial took (the only field that is not reproducible).
    public var wallSeconds: Double
    /// `simulated` or `live`.
    public var mode: String
    /// Live mode only: which impairment was applied where (`delay`, `jitter`, `loss`,
    /// `duplication`, `bandwidth`, `transport`), docs/live-mode.md. Absent in simulated mode,
    /// where the emulator applies all of them in virtual time.
    public var liveImpairments: [String: String]?

    public init(metrics: [String: Double], series: [String: [SeriesPoint]], simulatedSeconds: Double,
                wallSeconds: Double, mode: String, liveImpairments: [String: String]? = nil) {
        self.metrics = metrics
        self.series = series
        self.simulatedSeconds = simulatedSeconds
        self.wallSeconds = wallSeconds
        self.mode = mode
        self.liveImpairments = liveImpairments
    }
}

/// One sample of a time series.
public struct SeriesPoint: Codable, Sendable, Hashable {
    /// Seconds since the trial start.
    public var t: Double
    public var value: Double

    public init(t: Double, value: Double) {
        self.t = t
        self.value = value
    }
}
