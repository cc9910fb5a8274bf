import Engine

/// How fast a bottleneck can send, as a cumulative curve: bytes it can have carried by a time.
/// Queued packets are served back to back along it; capacity not used while idle is lost.
enum ServiceCurve: Sendable, Hashable {
    case unlimited
    case constant(Bitrate, origin: Instant)
    case trace(BandwidthTrace, origin: Instant)

    /// Bytes the link can have carried between its origin and `time`. Inlined (as is
    /// `time(reaching:origin:)`): a link asks once or twice per packet, and an outlined call
    /// copies the whole curve to pass it. Both work in integer nanoseconds, which is what
    /// going through `Duration` gives, without its 128-bit conversions.
    @inline(__always)
    func level(at time: Instant) -> Double {
        switch self {
        case .unlimited:
            return 0
        case .constant(let rate, let origin):
            return Double(rate.bitsPerSecond) / 8 * Double(max(0, time.nanoseconds &- origin.nanoseconds)) / 1e9
        case .trace(let trace, let origin):
            return trace.level(at: time.nanoseconds &- origin.nanoseconds)
        }
    }

    /// The earliest time at which the curve reaches `bytes` (`fallback` for unlimited links).
    @inline(__always)
    func time(reaching bytes: Double, origin fallback: Instant) -> Instant {
        switch self {
        case .unlimited:
            return fallback
        case .constant(let rate, let origin):
            let nanoseconds = (bytes * 8 * 1e9 / Double(max(rate.bitsPerSecond, 1))).rounded(.up)
            return Instant(nanoseconds: origin.nanoseconds &+ Int64(nanoseconds))
        case .trace(let trace, let origin):
            return Instant(nanoseconds: origin.nanoseconds &+ trace.offset(reaching: bytes))
        }
    }
}
