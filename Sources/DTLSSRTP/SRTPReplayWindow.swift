/// A sliding replay window over packet indices, with libsrtp2's semantics so that both backends
/// accept and reject the same packets: `highest` is the highest index accepted so far, bit k of
/// the window says whether index `highest - k` was accepted (RFC 3711 §3.3.2).
///
/// SRTP uses it with 48-bit indices (ROC · 2^16 + SEQ) estimated from the sequence number by
/// `estimate(sequence:)` (RFC 3711 §3.3.1 and Appendix A, libsrtp2's `srtp_rdbx_estimate_index`),
/// starting at index 0; SRTCP with explicit 31-bit indices and a 128-packet window starting at
/// `highest` = 127 (libsrtp2's `srtp_rdb_t`, whose window begins at index 0). Not thread-safe.
final class SRTPReplayWindow {
    /// What `check(delta:)` says about an index.
    enum Verdict: Equatable {
        /// Not seen and inside or ahead of the window.
        case fresh
        /// Seen before (libsrtp2's `replay_fail`).
        case repeated
        /// Behind the window (libsrtp2's `replay_old`).
        case tooOld
    }

    /// Packets the window covers (a multiple of 32, as libsrtp2 rounds its bit vector).
    let size: Int
    /// The highest index accepted.
    private(set) var highest: UInt64
    private let words: UnsafeMutablePointer<UInt64>
    private let wordCount: Int

    /// A window of `size` packets (rounded up to a multiple of 32), highest index `highest`, nothing seen.
    init(size: Int, highest: UInt64 = 0) {
        self.size = (max(size, 1) + 31) & ~31
        self.highest = highest
        wordCount = (self.size + 63) / 64
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
    }

    deinit { words.deallocate() }

    /// The index a packet with sequence number `sequence` most likely has, and its distance from
    /// `highest` (positive: ahead). While `highest` is at most 2^15 the rollover counter is taken
    /// as 0 (libsrtp2 does this so that a first sequence number above 2^15 is not read as ROC −1).
    func estimate(sequence: UInt16) -> (index: UInt64, delta: Int) {
        let median = 1 << 15
        let span = 1 << 16
        guard highest > UInt64(median) else { return (UInt64(sequence), Int(sequence) - Int(highest)) }
        let localROC = highest >> 16
        let localSequence = Int(highest & 0xFFFF)
        let s = Int(sequence)
        var roc = localROC
        var delta = s - localSequence
        if localSequence < median {
            if s - localSequence > median {
                roc = localROC - 1
                delta = s - localSequence - span
            }
        } else if localSequence - median > s {
            roc = localROC + 1
            delta = s - localSequence + span
        }
        return ((roc << 16) | UInt64(sequence), delta)
    }

    /// Whether the index `highest + delta` may be accepted.
    func check(delta: Int) -> Verdict {
        if delta > 0 { return .fresh }
        let k = -delta
        if k >= size { return .tooOld }
        return bit(k) ? .repeated : .fresh
    }

    /// Records the index `highest + delta` as accepted (after `check` said `.fresh`, or to repeat).
    func add(delta: Int) {
        if delta > 0 {
            shift(by: delta)
            highest &+= UInt64(delta)
            words[0] |= 1
        } else if -delta < size {
            let k = -delta
            words[k >> 6] |= 1 << UInt64(k & 63)
        }
    }

    private func bit(_ k: Int) -> Bool {
        words[k >> 6] & (1 << UInt64(k & 63)) != 0
    }

    /// Moves every bit k to k + n (older), dropping those that fall off the end.
    private func shift(by n: Int) {
        guard n < wordCount * 64 else {
            words.update(repeating: 0, count: wordCount)
            return
        }
        let wordShift = n >> 6
        let bitShift = UInt64(n & 63)
        var index = wordCount - 1
        while index >= 0 {
            let source = index - wordShift
            var value: UInt64 = 0
            if source >= 0 {
                value = words[source] << bitShift
                if bitShift > 0 && source > 0 { value |= words[source - 1] >> (64 - bitShift) }
            }
            words[index] = value
            index -= 1
        }
    }
}
