import Engine

/// Counts video freezes at a subscriber from the times frames are rendered (complete and decodable).
///
/// A freeze is an inter-frame gap of at least `max(3 × average, average + 150 ms)`, where the
/// average is the running mean of the last 30 inter-frame gaps *including the current one*, and
/// detection starts once 5 gaps have been seen. This is libwebrtc's `VideoQualityObserver` rule
/// (`kAvgInterframeDelaysWindowSizeFrames = 30`, `kMinFrameSamplesToDetectFreeze = 5`,
/// `kMinIncreaseForFreezeMs = 150`), which feeds the W3C `freezeCount`/`totalFreezesDuration`
/// stats; the one difference is that the mean here is exact, not rounded down to whole ms.
/// A freeze lasts its whole gap. See docs/metrics.md.
public struct FreezeDetector: Sendable, Hashable {
    /// Gaps in the running average.
    public static let windowFrames = 30
    /// Gaps needed before a freeze can be detected.
    public static let minimumSamples = 5
    /// The least increase over the average that counts as a freeze.
    public static let minimumIncrease = Duration.milliseconds(150)

    private var gapsNanoseconds = [Int64](repeating: 0, count: FreezeDetector.windowFrames)
    private var gapCount = 0
    private var nextSlot = 0
    private var windowSum: Int64 = 0
    /// When the last frame was rendered.
    public private(set) var lastFrameAt: Instant?
    /// When the first frame was rendered.
    public private(set) var firstFrameAt: Instant?
    /// Frames seen.
    public private(set) var framesRendered = 0
    /// Freezes detected.
    public private(set) var freezeCount = 0
    /// Sum of the gaps that were freezes.
    public private(set) var totalFreezeDuration = Duration.zero

    /// The stream was paused (muted, producer paused): the gap before the next frame is a pause.
    private var inactive = false
    /// Gaps that followed a pause, not counted as freezes nor in the average.
    public private(set) var pauseCount = 0

    public init() {}

    /// The stream went inactive on purpose (libwebrtc's `VideoQualityObserver::OnStreamInactive`,
    /// called when the sender pauses): the next gap long enough to be a freeze is a pause instead,
    /// and does not enter the running average.
    public mutating func streamInactive() {
        inactive = true
    }

    /// Records a rendered frame; returns true when the gap before it was a freeze.
    /// Frames out of time order are ignored (returns false).
    @discardableResult
    public mutating func frameRendered(at time: Instant) -> Bool {
        defer { framesRendered += 1 }
        guard let last = lastFrameAt else {
            firstFrameAt = time
            lastFrameAt = time
            return false
        }
        guard time >= last else {
            framesRendered -= 1
            return false
        }
        lastFrameAt = time
        let gap = (time - last).nanoseconds
        // Frames still in flight when the pause was signalled arrive with ordinary gaps; the
        // pause is the first gap long enough to count as a freeze (or the first gap at all
        // before the average is known).
        if inactive, gapCount < Self.minimumSamples || thresholdNanoseconds.map({ gap >= $0 }) ?? true {
            inactive = false
            pauseCount += 1
            return false
        }
        windowSum += gap - gapsNanoseconds[nextSlot]
        gapsNanoseconds[nextSlot] = gap
        nextSlot = (nextSlot + 1) % Self.windowFrames
        gapCount += 1
        guard gapCount >= Self.minimumSamples, let threshold = thresholdNanoseconds else { return false }
        if gap >= threshold {
            freezeCount += 1
            totalFreezeDuration += .nanoseconds(gap)
            return true
        }
        return false
    }

    /// The running average gap (nil before the first gap).
    public var averageGap: Duration? {
        guard gapCount > 0 else { return nil }
        return .nanoseconds(windowSum / Int64(min(gapCount, Self.windowFrames)))
    }

    /// The freeze threshold for the average as it stands, `max(3 × average, average + 150 ms)`.
    public var threshold: Duration? {
        thresholdNanoseconds.map { .nanoseconds($0) }
    }

    /// `threshold` in nanoseconds, worked out in integers: `Duration` arithmetic is 128-bit and
    /// not inlined (about 600 instructions a frame). The average is whole nanoseconds, so this is
    /// the same value.
    private var thresholdNanoseconds: Int64? {
        guard gapCount > 0 else { return nil }
        let average = windowSum / Int64(min(gapCount, Self.windowFrames))
        return max(average * 3, average + Self.minimumIncreaseNanoseconds)
    }

    private static let minimumIncreaseNanoseconds = minimumIncrease.nanoseconds

    /// Time from the first to the last rendered frame.
    public var renderedDuration: Duration {
        guard let first = firstFrameAt, let last = lastFrameAt else { return .zero }
        return last - first
    }
}
