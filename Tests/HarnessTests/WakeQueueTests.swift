import Engine
import Testing
@testable import Harness

/// `WakeQueue` (the trial world's former heap of wake-ups, now the reference for
/// `ComponentWakeQueue`) must hand out what `VirtualScheduler<Int>` does: the same components at
/// the same times, ties (same instant) in scheduling order, past times due now.
@Suite struct WakeQueueTests {
    @Test("same order as VirtualScheduler for random schedules with ties and past times")
    func matchesVirtualScheduler() {
        var random = SeededGenerator(seed: 3)
        let queue = WakeQueue(capacity: 4)
        var reference = VirtualScheduler<Int>(capacity: 4)
        var fromQueue: [(Int, Instant)] = []
        var fromReference: [(Int, Instant)] = []
        var limit = Instant.zero
        for _ in 0..<2_000 {
            // Schedule a few wake-ups around now (some in the past, many on a coarse grid so that
            // they tie), then take what is due by a limit that moves forward.
            for _ in 0..<Int(random.nextUnit() * 4) {
                let offset = Int64(random.nextUnit() * 40) - 10
                let time = Instant(nanoseconds: queue.now.nanoseconds + offset * 1_000)
                let component = Int(random.nextUnit() * 31)
                queue.schedule(at: time, component)
                reference.schedule(at: time, component)
            }
            limit = Instant(nanoseconds: limit.nanoseconds + Int64(random.nextUnit() * 8_000))
            while let component = queue.popNext(until: limit) { fromQueue.append((component, queue.now)) }
            while let component = reference.popNext(until: limit) { fromReference.append((component, reference.now)) }
            queue.advance(to: limit)
            reference.advance(to: limit)
            #expect(queue.now == reference.now)
        }
        #expect(fromQueue.count == fromReference.count && fromQueue.count > 1_000)
        #expect(zip(fromQueue, fromReference).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    }
}
