/// Detects application-limited periods (libwebrtc `AlrDetector`): a budget fills at
/// `usageRatio` x the estimate and drains with what is sent; when more than `startRatio` of a
/// 500 ms budget is unused the sender is application-limited (its media does not use the
/// estimate), and it stops being so below `stopRatio`. Probing uses it to discover capacity the
/// media cannot show.
public struct ApplicationLimitedDetector: Sendable {
    /// Share of the estimate the budget fills at. Default 0.65.
    public var usageRatio = 0.65
    /// Unused share of the budget that starts an application-limited period. Default 0.8.
    public var startRatio = 0.8
    /// Unused share below which it ends. Default 0.5.
    public var stopRatio = 0.5
    /// Budget window. Default 500 ms.
    public var window: Duration = .milliseconds(500) {
        didSet { windowSeconds = window.secondsDouble }
    }
    /// `window` in seconds, kept beside it: `Duration` arithmetic is slow on the per-packet path.
    private var windowSeconds = 0.5

    private var budgetBytes = 0.0
    private var lastUpdate: Instant?
    /// Since when the sender is application-limited (nil when it is not).
    public private(set) var limitedSince: Instant?

    public init() {}

    /// Accounts for `bytes` sent at `now` (0 to only advance time) under `estimate`.
    public mutating func update(sentBytes bytes: Int, estimate: Bitrate, now: Instant) {
        let bytesPerSecond = Double(estimate.bitsPerSecond) / 8
        let maxBudget = bytesPerSecond * windowSeconds * usageRatio
        let elapsed = lastUpdate.map { min(max(Double(now.nanoseconds - $0.nanoseconds) / 1e9, 0), windowSeconds) } ?? 0
        lastUpdate = now
        budgetBytes = min(budgetBytes + bytesPerSecond * usageRatio * elapsed, maxBudget)
        budgetBytes = max(budgetBytes - Double(bytes), -maxBudget)
        guard maxBudget > 0 else { return }
        let unused = budgetBytes / maxBudget
        if limitedSince == nil, unused > startRatio {
            limitedSince = now
        } else if limitedSince != nil, unused < stopRatio {
            limitedSince = nil
        }
    }

    public var isLimited: Bool { limitedSince != nil }
}
