/// A leaky-bucket pacer (libwebrtc `PacingController` with its media budget): sending adds a
/// packet's bytes to the bucket, the bucket drains at the pacing rate (`pacingFactor` x the
/// estimate), and a packet may leave while the bucket holds less than `burst` worth of bytes.
/// Key frames and other bursts are so spread over time instead of hitting the bottleneck queue at
/// once. Packets that waited `maxQueueDelay` leave regardless, so the pacer never becomes the
/// bottleneck (libwebrtc drains its queue within 2 s the same way).
public struct LeakyBucketPacer: Sendable {
    /// Drain rate.
    public var rate: Bitrate { didSet { burstBytes = Self.burstBytes(rate: rate, burst: burst) } }
    /// Bytes the bucket may hold before packets wait, as time at `rate`. Default 10 ms.
    public var burst: Duration { didSet { burstBytes = Self.burstBytes(rate: rate, burst: burst) } }
    /// Longest a packet waits. Default 2 s.
    public var maxQueueDelay: Duration { didSet { maxQueueDelayNanoseconds = Self.ceilingNanoseconds(maxQueueDelay) } }
    /// `maxQueueDelay` rounded up to whole nanoseconds, kept beside it for `hasWaitedTooLong`
    /// (asked for the oldest waiting packet at every engine timeout; `Duration` comparisons are
    /// runtime calls).
    @usableFromInline private(set) var maxQueueDelayNanoseconds: Int64
    private var levelBytes = 0.0
    private var lastUpdate: Instant?

    public init(rate: Bitrate, burst: Duration = .milliseconds(10), maxQueueDelay: Duration = .seconds(2)) {
        self.rate = rate
        self.burst = burst
        self.maxQueueDelay = maxQueueDelay
        maxQueueDelayNanoseconds = Self.ceilingNanoseconds(maxQueueDelay)
        burstBytes = Self.burstBytes(rate: rate, burst: burst)
    }

    /// `burst` in bytes at `rate` (at least one full-size packet), kept beside them: it is read
    /// for every packet and deadline, `rate` changes once per feedback message.
    private var burstBytes: Double

    private static func burstBytes(rate: Bitrate, burst: Duration) -> Double { max(rate.bytes(in: burst), 1_500) }

    /// Whether a packet enqueued at `enqueuedAt` has waited `maxQueueDelay` at `now`: exactly
    /// `now - enqueuedAt >= maxQueueDelay` (a whole number of nanoseconds reaches `maxQueueDelay`
    /// when it reaches its ceiling), in integers.
    @inlinable
    public func hasWaitedTooLong(since enqueuedAt: Instant, now: Instant) -> Bool {
        now.nanoseconds &- enqueuedAt.nanoseconds >= maxQueueDelayNanoseconds
    }

    /// The least whole number of nanoseconds that is at least `duration`.
    private static func ceilingNanoseconds(_ duration: Duration) -> Int64 {
        let truncated = duration.nanoseconds
        return Duration.nanoseconds(truncated) < duration ? truncated + 1 : truncated
    }

    /// The bucket's level at `now`.
    public mutating func drain(now: Instant) {
        if let last = lastUpdate, now > last {
            // Plain integer and floating-point time: `Duration` arithmetic is slow on this path.
            let elapsedSeconds = Double(now.nanoseconds - last.nanoseconds) / 1e9
            levelBytes = max(0, levelBytes - Double(rate.bitsPerSecond) / 8 * elapsedSeconds)
        }
        lastUpdate = max(lastUpdate ?? now, now)
    }

    /// Whether a packet may leave at `now`.
    public mutating func canSend(now: Instant) -> Bool {
        drain(now: now)
        return levelBytes < burstBytes
    }

    /// `canSend(now:)` and, when it allows, `sent(bytes:now:)` in one call (the second drain at
    /// the same instant changes nothing): the forwarding path's check and accounting for a copy
    /// that goes out at once, as one mutation of the transport's pacer instead of two.
    public mutating func sendIfAllowed(bytes: Int, now: Instant) -> Bool {
        drain(now: now)
        guard levelBytes < burstBytes else { return false }
        levelBytes += Double(bytes)
        return true
    }

    /// Accounts for `bytes` sent at `now`.
    public mutating func sent(bytes: Int, now: Instant) {
        drain(now: now)
        levelBytes += Double(bytes)
    }

    /// When the next packet may leave (nil before anything was sent: at once).
    public func nextSendTime() -> Instant? {
        guard let last = lastUpdate else { return nil }
        let excess = levelBytes - burstBytes
        guard excess >= 0 else { return last }
        guard rate > .zero else { return last + maxQueueDelay }
        // `last + rate.transmissionTime(bytes:)` in integers: the same nanoseconds without
        // building a `Duration` (asked at every deadline refresh while packets wait).
        let bytes = Int64(Int(excess.rounded(.up)) + 1)
        return Instant(nanoseconds: last.nanoseconds &+ bytes * 8 * 1_000_000_000 / rate.bitsPerSecond)
    }
}
