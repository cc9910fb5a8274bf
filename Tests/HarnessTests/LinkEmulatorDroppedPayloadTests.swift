import Engine
import Testing
@testable import Harness

/// `keepsDroppedPayloads`: an owner that manages payload storage gets back exactly what the link
/// dropped (loss, droptail, CoDel), and nothing when it did not ask.
@Suite("LinkEmulator dropped payloads")
struct LinkEmulatorDroppedPayloadTests {
    /// Sends `count` numbered packets 2 ms apart; returns the deliveries and the dropped payloads.
    func run(_ linkProfile: LinkProfile, keeps: Bool, count: Int = 5_000)
        throws -> (delivered: [LinkPacket<Int>], dropped: [Int], counters: LinkCounters)
    {
        var link = try LinkEmulator<Int>(profile: linkProfile, generator: SeededGenerator(seed: 7))
        link.keepsDroppedPayloads = keeps
        var delivered: [LinkPacket<Int>] = []
        var dropped: [Int] = []
        var now = Instant.zero
        for index in 0..<count {
            drain(&link, until: now, into: &delivered)
            link.send(index, size: 1_200, now: now)
            link.removeDroppedPayloads { dropped.append($0) }
            now = now + .milliseconds(2)
        }
        while let deadline = link.nextDeadline() {
            drain(&link, until: deadline, into: &delivered)
            link.removeDroppedPayloads { dropped.append($0) }
        }
        link.removeDroppedPayloads { dropped.append($0) }
        return (delivered, dropped, link.counters)
    }

    @Test("every packet sent is delivered or handed back, duplicates counted", arguments: [QueueDiscipline.droptail, .codel])
    func accountsForEveryPacket(queue: QueueDiscipline) throws {
        // 4.8 Mb/s offered into 3 Mb/s: the queue overflows (droptail) or CoDel drops at its head.
        let lossy = profile(delay: 20, jitter: 4, loss: 0.03, lossBurst: 2, duplication: 0.05, bandwidth: 3_000,
                            queue: queue, queueBytes: queue == .droptail ? 30_000 : nil)
        let (delivered, dropped, counters) = try run(lossy, keeps: true)
        #expect(counters.droppedByLoss > 0)
        #expect(counters.droppedByQueue > 0)
        if queue == .codel { #expect(counters.droppedByCoDel > 0) }
        #expect(counters.duplicated > 0)
        #expect(dropped.count == counters.droppedByLoss + counters.droppedByQueue)
        #expect(delivered.count + dropped.count == counters.sent + counters.duplicated)
        // Every packet is accounted for at least once.
        var seen = Set(dropped)
        seen.formUnion(delivered.map(\.payload))
        #expect(seen == Set(0..<counters.sent))
    }

    @Test("off by default: nothing is kept")
    func offByDefault() throws {
        let lossy = profile(delay: 20, loss: 0.05, bandwidth: 3_000, queueBytes: 30_000)
        let (_, dropped, counters) = try run(lossy, keeps: false)
        #expect(counters.droppedByLoss + counters.droppedByQueue > 0)
        #expect(dropped.isEmpty)
    }
}
