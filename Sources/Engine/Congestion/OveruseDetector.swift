/// Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and the
/// libwebrtc trendline detector): overuse is signalled when the gained trend stays above the
/// threshold for more than `overuseTime` and keeps rising; underuse when it is below minus the
/// threshold. The threshold follows the trend, quickly down (`thresholdDownGain`) and slowly up
/// (`thresholdUpGain`), so that it is neither starved by competing TCP flows nor too sensitive.
public struct OveruseDetector: Sendable {
    /// Gain applied to the trend before comparison. Default 4.
    public var trendGain = 4.0
    /// Threshold adaptation gain when the trend is above the threshold (k_u). Default 0.0087.
    public var thresholdUpGain = 0.0087
    /// Threshold adaptation gain when the trend is below the threshold (k_d). Default 0.039.
    public var thresholdDownGain = 0.039
    /// Time the trend must stay above the threshold. Default 10 ms.
    public var overuseTimeMilliseconds = 10.0

    /// The current threshold (ms), between 6 and 600, starting at 12.5.
    public private(set) var threshold = 12.5
    /// The last conclusion.
    public private(set) var state = BandwidthUsage.normal
    private var timeOverUsing = -1.0
    private var overuseCount = 0
    private var previousTrend = 0.0
    private var lastUpdate: Instant?

    public init() {}

    /// Updates with the trend after one packet group (`sendDelta` of that group, `deltaCount`
    /// groups seen so far) and returns the state.
    @discardableResult
    public mutating func detect(trend: Double, sendDelta: Duration, deltaCount: Int, now: Instant) -> BandwidthUsage {
        guard deltaCount >= 2 else { return .normal }
        let modified = Double(min(deltaCount, 60)) * trend * trendGain
        if modified > threshold {
            timeOverUsing = timeOverUsing < 0 ? sendDelta.milliseconds / 2 : timeOverUsing + sendDelta.milliseconds
            overuseCount += 1
            if timeOverUsing > overuseTimeMilliseconds && overuseCount > 1 && trend >= previousTrend {
                timeOverUsing = 0
                overuseCount = 0
                state = .overusing
            }
        } else if modified < -threshold {
            timeOverUsing = -1
            overuseCount = 0
            state = .underusing
        } else {
            timeOverUsing = -1
            overuseCount = 0
            state = .normal
        }
        previousTrend = trend
        updateThreshold(modified, now: now)
        return state
    }

    private mutating func updateThreshold(_ modified: Double, now: Instant) {
        let last = lastUpdate ?? now
        lastUpdate = now
        // A sudden spike (a delay jump, not a trend) does not move the threshold.
        if abs(modified) > threshold + 15 { return }
        let gain = abs(modified) < threshold ? thresholdDownGain : thresholdUpGain
        let elapsed = min((now - last).milliseconds, 100)
        threshold += gain * (abs(modified) - threshold) * elapsed
        threshold = min(max(threshold, 6), 600)
    }
}
