import Engine
import Testing
@testable import Harness

/// A droptail link without sojourn limit, reordering or pending changes computes each packet's
/// departure and delivery on arrival (`LinkEmulator.enqueueAhead`). A link that still has a
/// change pending (far in the future, to the same profile) queues and serves packets as they
/// go; the two must deliver the same packets at the same times, drop the same ones and report
/// the same queue state at every step.
@Suite struct LinkEmulatorServedAheadTests {
    struct Step: Equatable {
        var delivered: [Int]
        var departedAt: [Instant]
        var deliveredAt: [Instant]
        var queuedPackets: Int
        var queuedBytes: Int
        var packetsInFlight: Int
    }

    /// Bursts of packets for 2 s, with every arrival taken on a 0.5 ms grid (independent of
    /// either link's wake-ups), and the link's state after each grid step.
    static func run(_ link: inout LinkEmulator<Int>) -> [Step] {
        var sends = SeededGenerator(seed: 8)
        var steps: [Step] = []
        var payload = 0
        var nextSend = Instant.zero
        var now = Instant.zero
        while now <= .seconds(2) {
            var step = Step(delivered: [], departedAt: [], deliveredAt: [], queuedPackets: 0, queuedBytes: 0,
                            packetsInFlight: 0)
            while let packet = link.pollPacket(now: now) {
                step.delivered.append(packet.payload)
                step.departedAt.append(packet.departedAt)
                step.deliveredAt.append(packet.deliveredAt)
            }
            if now >= nextSend {
                for _ in 0..<(1 + Int(sends.nextUnit() * 12)) {
                    link.send(payload, size: 100 + Int(sends.nextUnit() * 1_100), now: now)
                    payload += 1
                }
                nextSend = now + .nanoseconds(Int64(sends.nextUnit() * 30_000_000))
            }
            step.queuedPackets = link.queuedPackets
            step.queuedBytes = link.queuedBytes
            step.packetsInFlight = link.packetsInFlight
            steps.append(step)
            now = now + .microseconds(500)
        }
        return steps
    }

    @Test("served ahead: the same deliveries, drops and queue state as serving while packets wait")
    func sameAsServingLater() throws {
        let shapes = [
            profile(delay: 15, jitter: 3, loss: 0.01, duplication: 0.02, bandwidth: 2_000, queueBytes: 12_000),
            profile(delay: 5, bandwidth: 800),
            profile(delay: 10, jitter: 2),
        ]
        for shape in shapes {
            var ahead = try LinkEmulator<Int>(profile: shape, generator: SeededGenerator(seed: 3))
            let never = LinkChange(at: .seconds(1_000), profile: shape)
            var later = try LinkEmulator<Int>(profile: shape, generator: SeededGenerator(seed: 3), schedule: [never])
            let aheadSteps = Self.run(&ahead)
            let laterSteps = Self.run(&later)
            #expect(aheadSteps.reduce(0) { $0 + $1.delivered.count } > 300)
            #expect(aheadSteps == laterSteps)
            #expect(ahead.counters == later.counters)
        }
        // The first shape's queue limit is reached: the comparison covers drops.
        var limited = try LinkEmulator<Int>(profile: shapes[0], generator: SeededGenerator(seed: 3))
        _ = Self.run(&limited)
        #expect(limited.counters.droppedByQueue > 0)
    }

    @Test("a link starts serving ahead once its last change is applied, with packets still queued")
    func switchesAfterTheLastChange() throws {
        let slow = profile(delay: 10, jitter: 2, bandwidth: 600, queueBytes: 30_000)
        let fast = profile(delay: 10, jitter: 2, duplication: 0.02, bandwidth: 6_000, queueBytes: 30_000)
        let switched = [LinkChange(at: .milliseconds(700), profile: fast)]
        var ahead = try LinkEmulator<Int>(profile: slow, generator: SeededGenerator(seed: 4), schedule: switched)
        let never = LinkChange(at: .seconds(1_000), profile: fast)
        var later = try LinkEmulator<Int>(profile: slow, generator: SeededGenerator(seed: 4), schedule: switched + [never])
        let aheadSteps = Self.run(&ahead)
        #expect(aheadSteps == Self.run(&later))
        #expect(ahead.counters == later.counters)
        #expect(ahead.counters.droppedByQueue > 0)
    }
}
