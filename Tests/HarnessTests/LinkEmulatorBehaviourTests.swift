import Engine
import Testing
@testable import Harness

@Suite("LinkEmulator behaviour")
struct LinkEmulatorBehaviourTests {
    static let everything = profile(delay: 40, jitter: 8, reorder: true, loss: 0.05, lossBurst: 3,
                                    duplication: 0.02, bandwidth: 1_500, queueBytes: 40_000)

    func run(seed: UInt64) throws -> [LinkPacket<Int>] {
        var link = try LinkEmulator<Int>(profile: Self.everything, generator: SeededGenerator(seed: seed))
        return runPeriodic(&link, count: 20_000, spacing: .milliseconds(5))
    }

    @Test("same seed, identical delivery sequence; different seed, different one")
    func determinism() throws {
        let first = try run(seed: 42)
        let second = try run(seed: 42)
        let other = try run(seed: 43)
        #expect(first.map(\.payload) == second.map(\.payload))
        #expect(first.map(\.deliveredAt) == second.map(\.deliveredAt))
        #expect(first.map(\.isDuplicate) == second.map(\.isDuplicate))
        #expect(first.map(\.deliveredAt) != other.map(\.deliveredAt))
        #expect(first.map(\.payload) != other.map(\.payload))
    }

    @Test("a scheduled change takes effect at its time")
    func scheduledChange() throws {
        let lossy = profile(delay: 100, loss: 1)
        var link = try LinkEmulator<Int>(profile: profile(delay: 10), generator: SeededGenerator(seed: 1),
                                         schedule: [LinkChange(at: .seconds(1), profile: lossy),
                                                    LinkChange(at: .seconds(2), profile: profile(delay: 30))])
        let out = runPeriodic(&link, count: 3_000, spacing: .milliseconds(1))
        #expect(out.count == 2_000)
        #expect(out.filter { $0.sentAt < .seconds(1) }.allSatisfy { ($0.deliveredAt - $0.sentAt) == .milliseconds(10) })
        #expect(out.filter { $0.sentAt >= .seconds(2) }.allSatisfy { ($0.deliveredAt - $0.sentAt) == .milliseconds(30) })
        #expect(link.counters.droppedByLoss == 1_000)
        #expect(link.profile == profile(delay: 30))
    }

    @Test("a bandwidth change applies to packets served after it")
    func bandwidthChange() throws {
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 1_000, queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 1),
                                         schedule: [LinkChange(at: .seconds(10), profile: profile(bandwidth: 4_000, queueBytes: 1_000_000))])
        // Offer exactly 1 Mb/s (1,250 bytes every 10 ms) for 20 s: no queue before or after the change.
        let out = runPeriodic(&link, count: 2_000, spacing: .milliseconds(10), bytes: 1_250)
        let before = out.filter { $0.sentAt < .seconds(10) }.map { ($0.departedAt - $0.sentAt).milliseconds }
        let after = out.filter { $0.sentAt > .seconds(10) }.map { ($0.departedAt - $0.sentAt).milliseconds }
        #expect(before.allSatisfy { abs($0 - 10) < 0.001 })
        #expect(after.allSatisfy { abs($0 - 2.5) < 0.001 })
    }

    @Test("nextDeadline is nil when idle and never in the past of a pending delivery")
    func deadlines() throws {
        var link = try LinkEmulator<String>(profile: profile(delay: 20, bandwidth: 1_000), generator: SeededGenerator(seed: 1))
        #expect(link.nextDeadline() == nil)
        link.send("a", size: 1_250, now: .zero)  // 10 ms on the wire, then 20 ms
        // Nothing waits behind it, so its departure needs no wake-up: the deadline is its delivery.
        #expect(link.nextDeadline() == .milliseconds(30))
        #expect(link.queuedPackets == 1 && link.packetsInFlight == 0)
        #expect(link.poll(now: .milliseconds(10)) == nil)
        #expect(link.queuedPackets == 0 && link.packetsInFlight == 1)
        #expect(link.nextDeadline() == .milliseconds(30))
        #expect(link.poll(now: .milliseconds(29)) == nil)
        #expect(link.poll(now: .milliseconds(30)) == "a")
        #expect(link.nextDeadline() == nil)
        #expect(link.counters.delivered == 1 && link.counters.deliveredBytes == 1_250)
    }

    @Test("a departure is a deadline while a packet waits behind it on a reordering or CoDel link, or when a change comes before it")
    func departureDeadlines() throws {
        for lazily in [true, false] {
            // Droptail without reordering: "b" cannot arrive before "a", so the link sleeps until
            // "a" arrives and serves "b" then. Reordering or CoDel: it wakes when "b" starts.
            var link = try LinkEmulator<String>(profile: profile(delay: 20, reorder: !lazily, bandwidth: 1_000),
                                                generator: SeededGenerator(seed: 1))
            link.send("a", size: 1_250, now: .zero)
            link.send("b", size: 1_250, now: .zero)  // waits behind "a"
            if lazily {
                #expect(link.nextDeadline() == .milliseconds(30))
                #expect(link.queuedPackets == 2)
            } else {
                #expect(link.nextDeadline() == .milliseconds(10))
                #expect(link.poll(now: .milliseconds(10)) == nil)  // "b" starts; nothing waits behind it
                #expect(link.nextDeadline() == .milliseconds(30))
            }
            #expect(link.poll(now: .milliseconds(30)) == "a")
            #expect(link.nextDeadline() == .milliseconds(40))
            #expect(link.poll(now: .milliseconds(40)) == "b")
        }

        // A change at 5 ms, while "c" is on the wire: "c" leaves at 10 ms under the new delay.
        let slower = LinkChange(at: .milliseconds(5), profile: profile(delay: 50, bandwidth: 1_000))
        var changing = try LinkEmulator<String>(profile: profile(delay: 20, bandwidth: 1_000), generator: SeededGenerator(seed: 1),
                                                schedule: [slower])
        changing.send("c", size: 1_250, now: .zero)
        #expect(changing.nextDeadline() == .milliseconds(5))
        #expect(changing.poll(now: .milliseconds(5)) == nil)
        #expect(changing.nextDeadline() == .milliseconds(10))
        #expect(changing.poll(now: .milliseconds(10)) == nil)
        #expect(changing.nextDeadline() == .milliseconds(60))
        #expect(changing.poll(now: .milliseconds(60)) == "c")
    }

    @Test("out-of-range profiles are refused, naming the field")
    func validation() throws {
        #expect(throws: LinkProfileError.self) { try LinkEmulator<Int>(profile: profile(loss: 1.5), generator: SeededGenerator(seed: 1)) }
        #expect(throws: LinkProfileError.self) { try LinkEmulator<Int>(profile: profile(delay: -1), generator: SeededGenerator(seed: 1)) }
        #expect(throws: LinkProfileError.self) { try LinkEmulator<Int>(profile: profile(bandwidth: 0), generator: SeededGenerator(seed: 1)) }
        do {
            try profile(loss: 0.9, lossBurst: 2).validate()
            Issue.record("loss 0.9 with bursts of 2 cannot be reached")
        } catch let error as LinkProfileError {
            #expect(error.field == "loss")
        }
    }
}
