import Engine
import Testing
@testable import Harness

/// `ComponentWakeQueue` replaces the trial world's `WakeQueue` and its table of scheduled times:
/// driven the way `TrialWorld` drives them (schedule only when earlier, take what is due, fire),
/// both must fire the same components at the same times in the same order, including when a
/// component moved earlier is scheduled again at exactly the time it left behind.
@Suite struct ComponentWakeQueueTests {
    /// The world's former scheduling: a heap of every wake-up and a table of scheduled times.
    final class Reference {
        let queue = WakeQueue(capacity: 4)
        var scheduled: [Instant?]

        init(components: Int) {
            scheduled = Array(repeating: nil, count: components)
        }

        func schedule(_ component: Int, at due: Instant) {
            if let current = scheduled[component], current <= due { return }
            scheduled[component] = due
            queue.schedule(at: due, component)
        }

        func popNext(until limit: Instant) -> Int? {
            while let component = queue.popNext(until: limit) {
                guard let due = scheduled[component], due <= queue.now else { continue }
                scheduled[component] = nil
                return component
            }
            return nil
        }
    }

    @Test("fires like the heap and table, ties and moved-earlier wake-ups included", arguments: [1, 3, 31, 40])
    func matchesHeapAndTable(components: Int) {
        var random = SeededGenerator(seed: UInt64(components))
        let queue = ComponentWakeQueue()
        for _ in 0..<components { queue.addComponent() }
        let reference = Reference(components: components)
        var fired: [(Int, Instant)] = []
        var expected: [(Int, Instant)] = []
        var limit = Instant.zero
        // Wake-ups on a coarse grid (so that they tie, and a component moved earlier is often
        // scheduled again at the time it left), some in the past.
        func scheduleSome() {
            for _ in 0..<Int(random.nextUnit() * 4) {
                let offset = Int64(random.nextUnit() * 12) - 3
                let due = Instant(nanoseconds: queue.now.nanoseconds + offset * 1_000)
                let component = Int(random.nextUnit() * Double(components))
                queue.schedule(component, at: due)
                reference.schedule(component, at: due)
            }
        }
        for _ in 0..<3_000 {
            scheduleSome()
            limit = Instant(nanoseconds: limit.nanoseconds + Int64(random.nextUnit() * 6_000))
            while true {
                let component = queue.popNext(until: limit)
                let other = reference.popNext(until: limit)
                #expect(component == other)
                guard let component, let other else { break }
                fired.append((component, queue.now))
                expected.append((other, reference.queue.now))
                // What a fired component does: schedule others, and itself again.
                scheduleSome()
                if random.nextUnit() < 0.7 {
                    let due = Instant(nanoseconds: queue.now.nanoseconds + Int64(random.nextUnit() * 8) * 1_000)
                    queue.schedule(component, at: due)
                    reference.schedule(component, at: due)
                }
            }
            queue.advance(to: limit)
            reference.queue.advance(to: limit)
            #expect(queue.now == reference.queue.now)
            for component in 0..<components {
                #expect(queue.isScheduled(component) == (reference.scheduled[component] != nil))
            }
        }
        #expect(fired.count == expected.count && fired.count > 1_000)
        #expect(zip(fired, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    }

    @Test func componentsAddedLaterAreScheduled() {
        let queue = ComponentWakeQueue()
        queue.addComponent()
        queue.schedule(0, at: .milliseconds(5))
        for _ in 0..<4 { queue.addComponent() }
        queue.schedule(4, at: .milliseconds(2))
        queue.schedule(2, at: .milliseconds(5))
        #expect(queue.popNext(until: .milliseconds(10)) == 4)
        #expect(queue.popNext(until: .milliseconds(10)) == 0)
        #expect(queue.popNext(until: .milliseconds(10)) == 2)
        #expect(queue.popNext(until: .milliseconds(10)) == nil)
        #expect(queue.now == .milliseconds(5))
    }
}
