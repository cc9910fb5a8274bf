@testable import Engine
import Testing

/// `SendHistory` keeps a placeholder entry in every slot instead of an optional; it used to keep
/// `[Entry?]`. That history is kept below as the reference: both record the same packets (mostly
/// in order, with jumps that wrap the ring and the 16-bit numbers) and must answer every lookup,
/// of recorded, overwritten and never-recorded numbers, the same.
@Suite struct SendHistoryModelTests {
    @Test(arguments: [2, 4, 64, 8_192])
    func answersLikeTheOptionalSlotHistory(capacity: Int) {
        var random = SeededGenerator(seed: UInt64(capacity))
        var history = SendHistory(capacity: capacity)
        var reference = ReferenceSendHistory(capacity: capacity)
        var sequence = UInt16(truncatingIfNeeded: random.next())
        var found = 0
        for step in 0..<30_000 {
            // Never-recorded lookups first, while the ring is still empty.
            let probe = UInt16(truncatingIfNeeded: random.next())
            #expect(history.entry(sequence: probe) == reference.entry(sequence: probe))
            sequence &+= random.next() % 50 == 0 ? UInt16(truncatingIfNeeded: random.next() % 20_000) : 1
            let cluster = random.next() % 10 == 0 ? Int(random.next() % 5) : nil
            let sentAt = Instant(nanoseconds: Int64(step) * 400_000)
            let bytes = Int(random.next() % 1_300)
            history.record(sequence: sequence, sentAt: sentAt, bytes: bytes, probeCluster: cluster)
            reference.record(sequence: sequence, sentAt: sentAt, bytes: bytes, probeCluster: cluster)
            let recent = sequence &- UInt16(truncatingIfNeeded: random.next() % UInt64(2 * capacity))
            let answer = history.entry(sequence: recent)
            #expect(answer == reference.entry(sequence: recent))
            if answer != nil { found += 1 }
        }
        // Lookups hit recorded packets as well as missing ones.
        #expect(found > 1_000)
    }
}

/// The history as it was with optional slots (the reference for the test above).
struct ReferenceSendHistory {
    private var entries: [SendHistory.Entry?]
    private let mask: Int

    init(capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        entries = Array(repeating: nil, count: size)
        mask = size - 1
    }

    mutating func record(sequence: UInt16, sentAt: Instant, bytes: Int, probeCluster: Int?) {
        entries[Int(sequence) & mask] = SendHistory.Entry(sequence: sequence, sentAt: sentAt, bytes: bytes, probeCluster: probeCluster)
    }

    func entry(sequence: UInt16) -> SendHistory.Entry? {
        guard let entry = entries[Int(sequence) & mask], entry.sequence == sequence else { return nil }
        return entry
    }
}
