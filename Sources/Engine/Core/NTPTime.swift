/// NTP-format timestamps (RFC 3550 §4) derived from an `Instant`: seconds since an arbitrary
/// origin in the high 32 bits, fraction in the low 32. Sender and receiver only ever compare
/// the middle 32 bits of the engine's own timestamps (LSR/DLSR round trips), so the origin
/// does not matter.
public enum NTPTime {
    /// The 64-bit NTP timestamp for `instant`.
    public static func timestamp(_ instant: Instant) -> UInt64 {
        let nanoseconds = UInt64(bitPattern: max(0, instant.nanoseconds))
        let seconds = nanoseconds / 1_000_000_000
        let fraction = (nanoseconds % 1_000_000_000) << 32 / 1_000_000_000
        return seconds << 32 | fraction
    }

    /// The middle 32 bits (16.16 fixed point seconds), as LSR carries them.
    public static func middle(_ timestamp: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: timestamp >> 16)
    }

    /// Round-trip time from a report block's LSR and DLSR as seen at `now` (RFC 3550 §6.4.1);
    /// nil without a sender report or when the result is negative.
    public static func roundTrip(now: Instant, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32) -> Duration? {
        guard lastSenderReport != 0 else { return nil }
        let arrival = middle(timestamp(now))
        let rtt = Int64(arrival &- lastSenderReport &- delaySinceLastSenderReport)
        guard rtt >= 0, rtt < 1 << 31 else { return nil }
        return .nanoseconds(rtt * 1_000_000_000 / 65_536)
    }
}
