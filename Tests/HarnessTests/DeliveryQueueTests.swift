import Engine
import Testing
@testable import Harness

/// `DeliveryQueue` must hand entries out exactly as a heap ordered by (time, sequence) would,
/// whether pushes arrive in time order (its FIFO) or not (its heap), interleaved with pops.
@Suite struct DeliveryQueueTests {
    @Test(arguments: [0.0, 0.1, 0.5])
    func popsInTimeThenSequenceOrder(reorderedShare: Double) {
        var random = SeededGenerator(seed: 42)
        var queue = DeliveryQueue<Int>()
        var reference = MinHeap<DeliveryQueue<Int>.Entry>()
        var time: Int64 = 0
        var sequence: UInt64 = 0
        var popped: [Int] = []
        var expected: [Int] = []
        for step in 0..<5_000 {
            // Mostly forward in time, sometimes the same instant, sometimes (by share) earlier.
            let draw = random.nextUnit()
            if draw < reorderedShare {
                time -= Int64(random.nextUnit() * 3_000)
            } else if draw < reorderedShare + 0.2 {
                // same instant: order by sequence
            } else {
                time += Int64(random.nextUnit() * 1_000)
            }
            let entry = DeliveryQueue<Int>.Entry(time: Instant(nanoseconds: time), sequence: sequence, element: step)
            sequence += 1
            queue.push(entry)
            reference.push(entry)
            #expect(queue.count == reference.count)
            #expect(queue.minTime == reference.min?.time)
            if random.nextUnit() < 0.45 {
                popped.append(queue.popMin()!.element)
                expected.append(reference.popMin()!.element)
            }
        }
        while let entry = queue.popMin() { popped.append(entry.element) }
        while let entry = reference.popMin() { expected.append(entry.element) }
        #expect(popped == expected)
        #expect(queue.count == 0 && queue.minTime == nil)
    }

    /// `popDue(by:)` hands out what `popMin()` does while `minTime` is due, FIFO and heap alike.
    @Test(arguments: [0.0, 0.2])
    func popDueMatchesPoppingWhileDue(reorderedShare: Double) {
        var random = SeededGenerator(seed: 7)
        var queue = DeliveryQueue<Int>()
        var reference = DeliveryQueue<Int>()
        var time: Int64 = 0
        var sequence: UInt64 = 0
        for step in 0..<5_000 {
            let draw = random.nextUnit()
            time += draw < reorderedShare ? -Int64(random.nextUnit() * 3_000) : Int64(random.nextUnit() * 1_000)
            let entry = DeliveryQueue<Int>.Entry(time: Instant(nanoseconds: time), sequence: sequence, element: step)
            sequence += 1
            queue.push(entry)
            reference.push(entry)
            if random.nextUnit() < 0.3 {
                let now = Instant(nanoseconds: time - Int64(random.nextUnit() * 2_000))
                var popped: [Int] = []
                var expected: [Int] = []
                queue.popDue(by: now) { popped.append($0.element) }
                while let due = reference.minTime, due <= now, let top = reference.popMin() { expected.append(top.element) }
                #expect(popped == expected)
                #expect(queue.count == reference.count && queue.minTime == reference.minTime)
            }
        }
    }
}
