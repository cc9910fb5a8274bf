import Engine
import Testing

/// The pacer's one-call check-and-account against the two calls it replaces on the forwarding path.
@Suite struct LeakyBucketPacerTests {
    /// Random sends, rate changes and queries at random instants: `sendIfAllowed` answers as
    /// `canSend` did and leaves the pacer exactly as `canSend` followed (when allowed) by `sent`,
    /// so every later answer and `nextSendTime` are the same.
    @Test func sendIfAllowedIsCanSendThenSent() {
        var random = SeededGenerator(seed: 42)
        var allowedCount = 0
        var refusedCount = 0
        for _ in 0..<20 {
            let rate = Bitrate(bitsPerSecond: Int64(random.next() % 5_000_000) + 50_000)
            var combined = LeakyBucketPacer(rate: rate)
            var separate = combined
            var now = Instant.zero
            for _ in 0..<2_000 {
                now = Instant(nanoseconds: now.nanoseconds + Int64(random.next() % 3_000_000))
                let bytes = Int(random.next() % 1_400) + 50
                switch random.next() % 10 {
                case 0:
                    let newRate = Bitrate(bitsPerSecond: Int64(random.next() % 5_000_000) + 50_000)
                    combined.rate = newRate
                    separate.rate = newRate
                case 1:
                    // Retransmissions account without asking.
                    combined.sent(bytes: bytes, now: now)
                    separate.sent(bytes: bytes, now: now)
                default:
                    let allowed = combined.sendIfAllowed(bytes: bytes, now: now)
                    let expected = separate.canSend(now: now)
                    if expected { separate.sent(bytes: bytes, now: now) }
                    #expect(allowed == expected)
                    if allowed { allowedCount += 1 } else { refusedCount += 1 }
                }
                #expect(combined.nextSendTime() == separate.nextSendTime())
            }
        }
        // Both answers occur, so the comparison covers both branches.
        #expect(allowedCount > 1_000 && refusedCount > 1_000)
    }
}
