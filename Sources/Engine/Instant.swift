/// A point in time, as nanoseconds since an arbitrary origin chosen by whoever drives the engine.
///
/// The engine never reads a clock: every call that depends on time is handed an `Instant`.
/// The harness passes virtual time; the engine server passes a monotonic clock reading.
public struct Instant: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the origin.
    public var nanoseconds: Int64

    /// Creates an instant at the given number of nanoseconds after the origin.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The origin.
    public static let zero = Instant(nanoseconds: 0)

    /// Creates an instant `milliseconds` after the origin.
    public static func milliseconds(_ milliseconds: Int64) -> Instant {
        Instant(nanoseconds: milliseconds * 1_000_000)
    }

    /// Creates an instant `seconds` after the origin.
    public static func seconds(_ seconds: Double) -> Instant {
        Instant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// Seconds since the origin, for reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// Milliseconds since the origin, for reports.
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }

    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// The time from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String { "\(Double(nanoseconds) / 1e6)ms" }
}

extension Duration {
    /// The duration in whole nanoseconds, truncated toward zero (wrapping far outside the range
    /// the engine uses).
    ///
    /// On the hot path of every simulated packet, so it avoids `components` (an opaque runtime
    /// call doing 128-bit arithmetic) for durations whose attosecond count fits in 64 bits
    /// (|d| < 9.2 s): `Duration` is a frozen struct holding that count as `_high:_low`.
    @inlinable
    public var nanoseconds: Int64 {
        let low = Int64(bitPattern: _low)
        if _high == low >> 63 { return low / 1_000_000_000 }
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    /// The duration in milliseconds, as a floating-point number for statistics and reports.
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    /// The duration in seconds, as a floating-point number for statistics and reports.
    public var secondsDouble: Double { Double(nanoseconds) / 1e9 }
}
