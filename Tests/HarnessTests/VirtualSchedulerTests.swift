import Engine
import Testing
@testable import Harness

@Suite("VirtualScheduler")
struct VirtualSchedulerTests {
    @Test("events come out in deadline order, FIFO among equal deadlines")
    func ordering() {
        var scheduler = VirtualScheduler<String>()
        scheduler.schedule(at: .milliseconds(30), "c")
        scheduler.schedule(at: .milliseconds(10), "a1")
        scheduler.schedule(at: .milliseconds(20), "b")
        scheduler.schedule(at: .milliseconds(10), "a2")
        scheduler.schedule(at: .milliseconds(10), "a3")
        var seen: [(String, Instant)] = []
        scheduler.runUntilIdle { scheduler, event in seen.append((event, scheduler.now)) }
        #expect(seen.map(\.0) == ["a1", "a2", "a3", "b", "c"])
        #expect(seen.map(\.1) == [.milliseconds(10), .milliseconds(10), .milliseconds(10), .milliseconds(20), .milliseconds(30)])
        #expect(scheduler.isIdle)
        #expect(scheduler.processedCount == 5)
    }

    @Test("FIFO ties hold across many events and random insertion order", arguments: [1 as UInt64, 2, 3])
    func manyTies(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var scheduler = VirtualScheduler<(time: Int64, order: Int)>()
        for order in 0..<5_000 {
            let time = Int64(random.next() % 50)
            scheduler.schedule(at: .milliseconds(time), (time, order))
        }
        var previous: (time: Int64, order: Int) = (-1, -1)
        var count = 0
        while let event = scheduler.popNext() {
            #expect(event.time > previous.time || (event.time == previous.time && event.order > previous.order))
            #expect(scheduler.now == .milliseconds(event.time))
            previous = event
            count += 1
        }
        #expect(count == 5_000)
    }

    @Test("handlers can schedule more events; progress stops at the limit and moves now there")
    func progressWithFollowUps() {
        var scheduler = VirtualScheduler<Int>()
        scheduler.schedule(at: .zero, 0)
        var seen: [Int] = []
        scheduler.progress(until: .milliseconds(95)) { scheduler, tick in
            seen.append(tick)
            scheduler.schedule(after: .milliseconds(10), tick + 1)
        }
        #expect(seen == Array(0...9))
        #expect(scheduler.now == .milliseconds(95))
        #expect(scheduler.nextEventTime() == .milliseconds(100))
    }

    @Test("an event scheduled in the past is due now, after events already due now")
    func pastEvents() {
        var scheduler = VirtualScheduler<String>(start: .milliseconds(50))
        scheduler.schedule(at: .milliseconds(50), "due")
        scheduler.schedule(at: .milliseconds(10), "late")
        #expect(scheduler.popNext() == "due")
        #expect(scheduler.popNext() == "late")
        #expect(scheduler.now == .milliseconds(50))
    }

    @Test("cancelled events never come out")
    func cancel() {
        var scheduler = VirtualScheduler<String>()
        let a = scheduler.schedule(at: .milliseconds(1), "a")
        scheduler.schedule(at: .milliseconds(2), "b")
        let c = scheduler.schedule(at: .milliseconds(3), "c")
        scheduler.cancel(a)
        scheduler.cancel(c)
        scheduler.cancel(c)
        #expect(scheduler.pendingCount == 1)
        #expect(scheduler.nextEventTime() == .milliseconds(2))
        #expect(scheduler.popNext() == "b")
        #expect(scheduler.popNext() == nil)
        #expect(scheduler.isIdle)
    }

    @Test("popNext(until:) leaves later events and the clock alone")
    func popUntil() {
        var scheduler = VirtualScheduler<Int>()
        scheduler.schedule(at: .milliseconds(20), 1)
        #expect(scheduler.popNext(until: .milliseconds(19)) == nil)
        #expect(scheduler.now == .zero)
        #expect(scheduler.popNext(until: .milliseconds(20)) == 1)
        #expect(scheduler.now == .milliseconds(20))
    }

    @Test("step merges scheduled events with a component's deadline, event first on ties")
    func stepMergesDeadlines() {
        var scheduler = VirtualScheduler<String>()
        scheduler.schedule(at: .milliseconds(10), "e10")
        scheduler.schedule(at: .milliseconds(30), "e30")
        var log: [String] = []
        func record(_ step: VirtualScheduler<String>.Step) {
            switch step {
            case .event(let name): log.append(name)
            case .deadline(let time): log.append("d\(Int(time.milliseconds))")
            case .reachedLimit: log.append("limit")
            }
        }
        record(scheduler.step(until: .milliseconds(100), deadline: .milliseconds(5)))
        record(scheduler.step(until: .milliseconds(100), deadline: .milliseconds(10)))
        record(scheduler.step(until: .milliseconds(100), deadline: .milliseconds(10)))
        record(scheduler.step(until: .milliseconds(100), deadline: nil))
        record(scheduler.step(until: .milliseconds(100), deadline: .milliseconds(200)))
        #expect(log == ["d5", "e10", "d10", "e30", "limit"])
        #expect(scheduler.now == .milliseconds(100))
    }

    @Test("drives a TimeoutDriven link end to end in virtual time")
    func drivesLink() throws {
        // A sender event every 20 ms for 1 s into a 50 ms link; deliveries logged by virtual time.
        var link = try LinkEmulator<Int>(profile: profile(delay: 50), generator: SeededGenerator(seed: 1))
        var scheduler = VirtualScheduler<Int>()
        for index in 0..<50 { scheduler.schedule(at: .milliseconds(Int64(index) * 20), index) }
        var deliveries: [(Int, Instant)] = []
        let end = Instant.seconds(2)
        loop: while true {
            switch scheduler.step(until: end, deadline: link.nextDeadline()) {
            case .event(let index):
                link.send(index, size: 100, now: scheduler.now)
            case .deadline(let now):
                link.handleTimeout(now: now)
                while let index = link.poll(now: now) { deliveries.append((index, now)) }
            case .reachedLimit:
                break loop
            }
        }
        #expect(deliveries.map(\.0) == Array(0..<50))
        #expect(deliveries.allSatisfy { $0.1 == .milliseconds(Int64($0.0) * 20 + 50) })
        #expect(earliestDeadline(nil, .milliseconds(3), .milliseconds(2)) == .milliseconds(2))
        #expect(earliestDeadline(nil, nil) == nil)
    }

    @Test("the heap sorts")
    func heapSorts() {
        var random = SeededGenerator(seed: 9)
        var heap = MinHeap<UInt64>()
        var values: [UInt64] = []
        for _ in 0..<1_000 {
            let value = random.next() % 10_000
            heap.push(value)
            values.append(value)
        }
        var out: [UInt64] = []
        while let value = heap.popMin() { out.append(value) }
        #expect(out == values.sorted())
    }
}
