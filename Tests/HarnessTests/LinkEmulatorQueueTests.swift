import Engine
import Testing
@testable import Harness

@Suite("LinkEmulator queues")
struct LinkEmulatorQueueTests {
    /// Offers 1,200-byte packets every `spacing` for `seconds`, returns the deliveries and the
    /// largest backlog seen right after a send.
    func overload(_ link: inout LinkEmulator<Int>, seconds: Double, spacing: Duration)
        -> (out: [LinkPacket<Int>], maxBacklogBytes: Int)
    {
        var out: [LinkPacket<Int>] = []
        var now = Instant.zero
        var index = 0
        var maxBacklog = 0
        while now < .seconds(seconds) {
            drain(&link, until: now, into: &out)
            link.send(index, size: 1_200, now: now)
            maxBacklog = max(maxBacklog, link.queuedBytes)
            index += 1
            now = now + spacing
        }
        while let deadline = link.nextDeadline() { drain(&link, until: deadline, into: &out) }
        return (out, maxBacklog)
    }

    @Test("droptail by bytes never holds more than its limit")
    func droptailBytes() throws {
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 1_000, queueBytes: 24_000),
                                         generator: SeededGenerator(seed: 1))
        let (out, maxBacklog) = overload(&link, seconds: 30, spacing: .milliseconds(5))  // 1.92 Mb/s offered
        #expect(maxBacklog <= 24_000)
        #expect(maxBacklog > 24_000 - 1_200)
        #expect(link.counters.droppedByQueue > 0)
        // Worst sojourn: the whole backlog at 1 Mb/s = 192 ms, plus one packet (9.6 ms).
        let worst = out.map { ($0.departedAt - $0.sentAt).milliseconds }.max() ?? 0
        #expect(worst <= 192 + 0.001, "worst sojourn \(worst) ms")
        #expect(worst > 150)
        #expect(link.counters.sent == link.counters.delivered + link.counters.droppedByQueue)
    }

    @Test("the default droptail limit is 64 KiB")
    func droptailDefault() throws {
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 1_000), generator: SeededGenerator(seed: 1))
        let (_, maxBacklog) = overload(&link, seconds: 10, spacing: .milliseconds(5))
        #expect(maxBacklog <= 65_536 && maxBacklog > 65_536 - 1_200)
    }

    @Test("droptail by sojourn time bounds the queueing delay")
    func droptailDelay() throws {
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 1_000, queueBytes: 1_000_000, queueDelay: 50),
                                         generator: SeededGenerator(seed: 2))
        let (out, _) = overload(&link, seconds: 30, spacing: .milliseconds(5))
        let sojourns = out.map { ($0.departedAt - $0.sentAt).milliseconds }
        // Waiting time ≤ 50 ms, plus its own transmission (9.6 ms at 1 Mb/s).
        #expect((sojourns.max() ?? 0) <= 50 + 9.6 + 0.001)
        #expect((sojourns.max() ?? 0) > 45)
        #expect(link.counters.droppedByQueue > 0)
    }

    /// A loss-responsive sender (additive increase 1 Mb/s per second, rate × 0.7 on a detected gap,
    /// at most once per 100 ms) through `link` for `seconds`; returns the deliveries.
    func responsiveSource(_ link: inout LinkEmulator<Int>, seconds: Double) -> [LinkPacket<Int>] {
        var out: [LinkPacket<Int>] = []
        var rateBps = 1_000_000.0
        var creditBits = 0.0
        var nextIndex = 0
        var expected = 0
        var lastDecrease = Instant.zero
        var now = Instant.zero
        while now < .seconds(seconds) {
            let before = out.count
            drain(&link, until: now, into: &out)
            var sawGap = false
            for packet in out[before...] {
                if packet.payload > expected { sawGap = true }
                expected = max(expected, packet.payload + 1)
            }
            if sawGap && now - lastDecrease >= .milliseconds(100) {
                rateBps *= 0.7
                lastDecrease = now
            }
            rateBps += 1_000  // per ms
            creditBits += rateBps / 1_000
            while creditBits >= 9_600 {
                link.send(nextIndex, size: 1_200, now: now)
                nextIndex += 1
                creditBits -= 9_600
            }
            now = now + .milliseconds(1)
        }
        return out
    }

    @Test("CoDel keeps the sojourn time near its 5 ms target for a responsive sender")
    func codelResponsive() throws {
        var codel = try LinkEmulator<Int>(profile: profile(delay: 20, bandwidth: 2_000, queue: .codel, queueBytes: 2_000_000),
                                          generator: SeededGenerator(seed: 3))
        let out = responsiveSource(&codel, seconds: 60)
        let sojourns = out.filter { $0.sentAt >= .seconds(5) }.map { ($0.departedAt - $0.sentAt).milliseconds }.sorted()
        let median = sojourns[sojourns.count / 2]
        // Sojourn includes the packet's own 4.8 ms transmission at 2 Mb/s.
        #expect(median < 5 + 4.8 + 5, "median sojourn \(median) ms")
        #expect(sojourns[sojourns.count * 9 / 10] < 40, "p90 sojourn \(sojourns[sojourns.count * 9 / 10]) ms")
        #expect(codel.counters.droppedByCoDel > 0)
        #expect(codel.counters.droppedByCoDel == codel.counters.droppedByQueue)
        let bytes = out.filter { $0.sentAt >= .seconds(5) }.reduce(0) { $0 + $1.bytes }
        #expect(Double(bytes) * 8 / 55 > 0.8 * 2_000_000, "throughput \(Double(bytes) * 8 / 55) b/s")

        // The same sender through a droptail queue of the same size fills it: seconds of delay.
        var droptail = try LinkEmulator<Int>(profile: profile(delay: 20, bandwidth: 2_000, queueBytes: 2_000_000),
                                             generator: SeededGenerator(seed: 3))
        let tail = responsiveSource(&droptail, seconds: 60)
        let tailSojourns = tail.filter { $0.sentAt >= .seconds(5) }.map { ($0.departedAt - $0.sentAt).milliseconds }.sorted()
        #expect(tailSojourns[tailSojourns.count / 2] > 500)
    }

    @Test("CoDel bounds the sojourn time of an unresponsive 20% overload")
    func codelUnresponsive() throws {
        // 2 Mb/s bottleneck, 2.4 Mb/s offered for 60 s. CoDel's control law cannot hold an
        // unresponsive flow at 5 ms, but it keeps the standing queue to tens of ms.
        var codel = try LinkEmulator<Int>(profile: profile(bandwidth: 2_000, queue: .codel, queueBytes: 2_000_000),
                                          generator: SeededGenerator(seed: 3))
        let (out, _) = overload(&codel, seconds: 60, spacing: .microseconds(4_000))
        let sojourns = out.filter { $0.sentAt >= .seconds(10) }.map { ($0.departedAt - $0.sentAt).milliseconds }.sorted()
        #expect(sojourns[sojourns.count * 9 / 10] < 50, "p90 sojourn \(sojourns[sojourns.count * 9 / 10]) ms")
        let bytes = out.filter { $0.departedAt <= .seconds(60) }.reduce(0) { $0 + $1.bytes }
        #expect(Double(bytes) * 8 / 60 > 0.97 * 2_000_000)

        var droptail = try LinkEmulator<Int>(profile: profile(bandwidth: 2_000, queueBytes: 2_000_000),
                                             generator: SeededGenerator(seed: 3))
        let (tailOut, _) = overload(&droptail, seconds: 60, spacing: .microseconds(4_000))
        let tailSorted = tailOut.filter { $0.sentAt >= .seconds(10) }.map { ($0.departedAt - $0.sentAt).milliseconds }.sorted()
        #expect(tailSorted[tailSorted.count / 2] > 1_000)
    }

    @Test("loss happens before the queue, so lost packets use no capacity")
    func lossBeforeQueue() throws {
        var link = try LinkEmulator<Int>(profile: profile(loss: 0.5, bandwidth: 1_000, queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 4))
        // 1.92 Mb/s offered, half lost: 0.96 Mb/s reaches a 1 Mb/s bottleneck, no queue builds up.
        let (out, maxBacklog) = overload(&link, seconds: 20, spacing: .milliseconds(5))
        #expect(link.counters.droppedByQueue == 0)
        #expect(maxBacklog < 100_000)
        #expect(out.count == link.counters.sent - link.counters.droppedByLoss)
    }
}
