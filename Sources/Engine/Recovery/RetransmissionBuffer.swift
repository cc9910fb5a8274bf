/// Send-side store of recently forwarded packets for one consumer stream, indexed by the
/// sequence number the consumer saw (RFC 4585 §6.2.1 NACK handling, RFC 4588 RTX).
///
/// Entries reference the shared `PacketPool` slot of the original packet plus what is needed to
/// rewrite it again for this consumer, so N consumers cost N small entries, not N copies.
struct RetransmissionBuffer {
    struct Entry {
        var slot: Int32
        var outputSequence: UInt16
        var outputTimestamp: UInt32
        var storedAt: Instant
        var lastSentAt: Instant
        var resendCount: Int
        /// Rewriting needed beyond seq/ts/ssrc/pt (e.g. VP8 picture id), opaque to the buffer.
        var rewrite: PayloadRewrite
        var isValid: Bool
    }

    private var entries: [Entry]
    private let capacity: Int
    let maxAge: Duration

    /// Retransmissions refused because the packet was gone, too old, or sent within one RTT.
    private(set) var missCount = 0
    private(set) var tooRecentCount = 0

    init(capacity: Int, maxAge: Duration) {
        self.capacity = max(1, capacity)
        self.maxAge = maxAge
        entries = Array(repeating: Entry(slot: -1, outputSequence: 0, outputTimestamp: 0, storedAt: .zero,
                                         lastSentAt: .zero, resendCount: 0, rewrite: .none, isValid: false),
                        count: self.capacity)
    }

    /// Stores a forwarded packet; the buffer takes one reference to `slot`.
    mutating func store(slot: Int32, outputSequence: UInt16, outputTimestamp: UInt32, rewrite: PayloadRewrite,
                        now: Instant, pool: PacketPool) {
        let index = Int(outputSequence) % capacity
        if entries[index].isValid { pool.release(entries[index].slot) }
        pool.retain(slot)
        entries[index] = Entry(slot: slot, outputSequence: outputSequence, outputTimestamp: outputTimestamp,
                               storedAt: now, lastSentAt: now, resendCount: 0, rewrite: rewrite, isValid: true)
    }

    /// The entry to resend for `sequence`, marking it sent; nil when gone, too old, or sent less
    /// than `rtt` ago (no duplicate resend within one round trip).
    mutating func takeForResend(sequence: UInt16, now: Instant, rtt: Duration) -> Entry? {
        let index = Int(sequence) % capacity
        var entry = entries[index]
        guard entry.isValid, entry.outputSequence == sequence, now - entry.storedAt <= maxAge else {
            missCount += 1
            return nil
        }
        if entry.resendCount > 0 && now - entry.lastSentAt < rtt {
            tooRecentCount += 1
            return nil
        }
        entry.lastSentAt = now
        entry.resendCount += 1
        entries[index] = entry
        return entry
    }

    /// Releases every stored packet (consumer closed).
    mutating func clear(pool: PacketPool) {
        for index in entries.indices where entries[index].isValid {
            pool.release(entries[index].slot)
            entries[index].isValid = false
        }
    }
}

/// Codec-specific header rewriting a consumer applies to a forwarded packet.
enum PayloadRewrite: Hashable, Sendable {
    case none
    /// VP8: write this picture id (and TL0PICIDX, when the packet has one) into the payload descriptor.
    case vp8(pictureID: UInt16, tl0PictureIndex: UInt8?)
    /// Set the RTP marker bit to this value (SVC: end of the highest forwarded spatial layer).
    case marker(Bool)
}
