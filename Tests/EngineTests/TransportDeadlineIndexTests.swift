@testable import Engine
import Testing

/// `TransportDeadlineIndex` against the plain model it replaced: per transport an optional
/// deadline and a flag, the earliest found by comparing all of them.
@Suite struct TransportDeadlineIndexTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func matchesAListOfOptionalDeadlines(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var index = TransportDeadlineIndex()
        var deadlines: [Instant?] = []
        var paced: [Bool] = []
        for _ in 0..<2_000 {
            if deadlines.count < 20, random.next() % 50 == 0 {
                index.append()
                deadlines.append(nil)
                paced.append(false)
            }
            guard !deadlines.isEmpty else { continue }
            // A batch of updates, as one drain of the stale list makes them (ties are common).
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let transport = Int(random.next() % UInt64(deadlines.count))
                let deadline: Instant? = random.next() % 5 == 0 ? nil : Instant(nanoseconds: Int64(random.next() % 40) * 1_000_000)
                let hasPaced = random.next() % 3 == 0
                index.update(transport, deadline: deadline, hasPacedPackets: hasPaced)
                deadlines[transport] = deadline
                paced[transport] = hasPaced
            }
            index.finishUpdates()
            #expect(index.earliest == deadlines.compactMap { $0 }.min())
            let now = Instant(nanoseconds: Int64(random.next() % 40) * 1_000_000)
            #expect(index.anyHasWork(now: now) == deadlines.indices.contains { paced[$0] || deadlines[$0].map { $0 <= now } ?? false })
            for transport in deadlines.indices {
                #expect(index.deadline(transport) == deadlines[transport])
                #expect(index.hasWork(transport, now: now) == (paced[transport] || deadlines[transport].map { $0 <= now } ?? false))
            }
        }
    }
}
