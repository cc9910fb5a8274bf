/// Keeps a consumer's RTP timestamps monotonic across source switches: the first packet of a new
/// source continues from the last output timestamp plus the wall time elapsed since it was sent
/// (in the codec's clock), never less than one tick.
struct TimestampRewriter {
    let clockRate: Int
    private var offset: UInt32 = 0
    private var lastOutput: UInt32?
    private var lastOutputAt: Instant = .zero
    private var pendingResync = true

    init(clockRate: Int) { self.clockRate = clockRate }

    mutating func resync() { pendingResync = true }

    /// The output timestamp for `input` at `now`. (Inlined: called for every forwarded copy.)
    @inline(__always)
    mutating func map(_ input: UInt32, now: Instant) -> UInt32 {
        if pendingResync {
            pendingResync = false
            if let last = lastOutput {
                let elapsedTicks = max(1, (now - lastOutputAt).nanoseconds * Int64(clockRate) / 1_000_000_000)
                let target = last &+ UInt32(truncatingIfNeeded: elapsedTicks)
                offset = input &- target
            } else {
                offset = 0
            }
        }
        let output = input &- offset
        if lastOutput == nil || Int32(bitPattern: output &- lastOutput!) > 0 {
            lastOutput = output
            lastOutputAt = now
        }
        return output
    }
}
