import Engine
import Testing
@testable import Harness

/// A link does work that cannot change its output lazily (`refreshDeadline`): waking it only at
/// its deadlines, or also at many times in between, and taking arrivals with `deliverArrived` or
/// with `poll`, must give the same deliveries at the same times and the same counters.
@Suite struct LinkEmulatorLazyServiceTests {
    struct Delivery: Equatable {
        var payload: Int
        var at: Instant
    }

    /// Sends bursts of packets on `link` for 3 s, waking it at its deadlines (and every
    /// `extraWake` while it has something to do, if set), and returns what came out and when.
    static func run(_ profile: LinkProfile, extraWake: Duration?, batched: Bool) throws -> ([Delivery], LinkCounters) {
        var link = try LinkEmulator<Int>(profile: profile, generator: SeededGenerator(seed: 5))
        var sends = SeededGenerator(seed: 6)
        var out: [Delivery] = []
        let end = Instant.zero + .seconds(3)
        var nextSend: Instant? = .zero
        var nextExtra = Instant.zero
        var payload = 0
        while true {
            var candidates = [nextSend, link.nextDeadline()].compactMap { $0 }
            if let extraWake, !candidates.isEmpty {
                candidates.append(nextExtra)
            }
            guard let now = candidates.min() else { break }
            if batched {
                link.deliverArrived(now: now) { out.append(Delivery(payload: $0, at: now)) }
            } else {
                while let arrived = link.poll(now: now) { out.append(Delivery(payload: arrived, at: now)) }
            }
            if let extraWake, now == nextExtra { nextExtra = now + extraWake }
            if now == nextSend {
                // A burst of 1 to 8 packets (a video frame), then a gap of up to 40 ms.
                for _ in 0..<(1 + Int(sends.nextUnit() * 8)) {
                    link.send(payload, size: 200 + Int(sends.nextUnit() * 1_000), now: now)
                    payload += 1
                }
                let next = now + .nanoseconds(Int64(sends.nextUnit() * 40_000_000))
                nextSend = next <= end ? next : nil
            }
        }
        return (out, link.counters)
    }

    @Test("deliveries do not depend on when the link is woken in between", arguments: [false, true])
    func wakeTimesDoNotMatter(reorder: Bool) throws {
        var shaped = profile(delay: 15, jitter: 4, reorder: reorder, loss: 0.01, duplication: 0.01, bandwidth: 2_000,
                             queueBytes: 20_000)
        for queue in [QueueDiscipline.droptail, .codel] {
            shaped.queue = queue
            let (lazy, lazyCounters) = try Self.run(shaped, extraWake: nil, batched: true)
            let (eager, eagerCounters) = try Self.run(shaped, extraWake: .microseconds(250), batched: false)
            #expect(lazy.count > 500)
            #expect(lazy == eager)
            #expect(lazyCounters == eagerCounters)
        }
    }

    @Test("a droptail link without reordering wakes about once per delivery burst, not per departure")
    func fewerWakeUps() throws {
        var link = try LinkEmulator<Int>(profile: profile(delay: 20, bandwidth: 1_000), generator: SeededGenerator(seed: 1))
        for payload in 0..<5 { link.send(payload, size: 1_250, now: .zero) }  // 10 ms each on the wire
        var wakeUps: [Instant] = []
        var out: [Int] = []
        while let due = link.nextDeadline() {
            wakeUps.append(due)
            link.deliverArrived(now: due) { out.append($0) }
        }
        #expect(out == [0, 1, 2, 3, 4])
        // Deliveries at 30, 40, 50, 60 and 70 ms; no wake-up at the departures in between.
        #expect(wakeUps == [30, 40, 50, 60, 70].map { Instant.milliseconds($0) })
    }
}
