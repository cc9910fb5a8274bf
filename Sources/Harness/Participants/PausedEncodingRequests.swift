import Engine

/// Key-frame requests (PLI/FIR) a publisher receives for an encoding it has paused. Those within
/// `settleTime` of the pause are expected — the engine sees a stream stop only after 1.5 s
/// without packets (`Producer.Stream.inactivityInterval`), and a request may be on its way — the
/// later ones went to a layer the engine should know is not arriving.
struct PausedEncodingRequests: Hashable {
    /// The engine's inactivity interval plus half a second for requests in flight.
    static let settleTime = Duration.milliseconds(2_000)

    private(set) var pausedAt: Instant?
    /// Requests received while paused.
    private(set) var whilePaused = 0
    /// Requests received more than `settleTime` after the pause.
    private(set) var afterSettling = 0

    /// The encoding was switched on or off at `now`.
    mutating func setEnabled(_ on: Bool, now: Instant) {
        if on {
            pausedAt = nil
        } else if pausedAt == nil {
            pausedAt = now
        }
    }

    /// A key-frame request for the encoding arrived at `now`.
    mutating func requestReceived(now: Instant) {
        guard let pausedAt else { return }
        whilePaused += 1
        if now - pausedAt > Self.settleTime { afterSettling += 1 }
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.whilePaused += rhs.whilePaused
        sum.afterSettling += rhs.afterSettling
        return sum
    }
}
