import Engine
import Testing
@testable import Harness

/// The emulator's statistics match its configuration over 100k packets.
@Suite("LinkEmulator statistics")
struct LinkEmulatorStatisticsTests {
    static let packets = 100_000

    @Test("mean added delay and jitter standard deviation (reordering allowed)")
    func delayAndJitter() throws {
        var link = try LinkEmulator<Int>(profile: profile(delay: 50, jitter: 5, reorder: true),
                                         generator: SeededGenerator(seed: 1))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        #expect(out.count == Self.packets)
        let delays = out.map { ($0.deliveredAt - $0.sentAt).milliseconds }
        let (mean, sd) = meanAndStandardDeviation(delays)
        // Standard error of the mean is 5/sqrt(1e5) ≈ 0.016 ms; of the sd about 0.011 ms.
        #expect(abs(mean - 50) < 0.1, "mean delay \(mean) ms")
        #expect(abs(sd - 5) < 0.1, "jitter sd \(sd) ms")
    }

    @Test("no reordering when reorder is off, even with jitter larger than the spacing")
    func noReordering() throws {
        var link = try LinkEmulator<Int>(profile: profile(delay: 30, jitter: 10, reorder: false),
                                         generator: SeededGenerator(seed: 2))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        #expect(out.count == Self.packets)
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.payload < $1.payload })
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.deliveredAt <= $1.deliveredAt })
    }

    @Test("reordering is present when reorder is on")
    func reorderingPresent() throws {
        var link = try LinkEmulator<Int>(profile: profile(delay: 30, jitter: 10, reorder: true),
                                         generator: SeededGenerator(seed: 3))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        let inversions = zip(out, out.dropFirst()).filter { $0.payload > $1.payload }.count
        #expect(out.count == Self.packets)
        // With sd 10 ms and 1 ms spacing, most neighbours swap with probability ≈ 0.47.
        #expect(inversions > Self.packets / 4, "\(inversions) inversions")
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.deliveredAt <= $1.deliveredAt })
    }

    @Test("Bernoulli loss rate", arguments: [0.01, 0.05, 0.2])
    func bernoulliLoss(rate: Double) throws {
        var link = try LinkEmulator<Int>(profile: profile(loss: rate), generator: SeededGenerator(seed: 4))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        let measured = Double(link.counters.droppedByLoss) / Double(Self.packets)
        let standardError = (rate * (1 - rate) / Double(Self.packets)).squareRoot()
        #expect(abs(measured - rate) < 5 * standardError, "measured \(measured), configured \(rate)")
        #expect(out.count == Self.packets - link.counters.droppedByLoss)
        #expect(meanBurstLength(delivered: out, total: Self.packets) < 1 / (1 - rate) + 0.05)
    }

    @Test("Gilbert-Elliott loss rate and mean burst length",
          arguments: [(0.05, 2.0), (0.1, 4.0), (0.02, 8.0)])
    func gilbertElliott(rate: Double, burst: Double) throws {
        var link = try LinkEmulator<Int>(profile: profile(loss: rate, lossBurst: burst),
                                         generator: SeededGenerator(seed: 5))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        let measured = Double(link.counters.droppedByLoss) / Double(Self.packets)
        // Bursts make losses correlated: allow 12% relative error on the rate, 8% on the burst length.
        #expect(abs(measured - rate) < 0.12 * rate, "measured loss \(measured), configured \(rate)")
        let bursts = meanBurstLength(delivered: out, total: Self.packets)
        #expect(abs(bursts - burst) < 0.08 * burst, "mean burst \(bursts), configured \(burst)")
    }

    @Test("duplication rate")
    func duplication() throws {
        var link = try LinkEmulator<Int>(profile: profile(delay: 5, duplication: 0.03),
                                         generator: SeededGenerator(seed: 6))
        let out = runPeriodic(&link, count: Self.packets, spacing: .milliseconds(1))
        let duplicates = out.filter(\.isDuplicate).count
        let rate = Double(duplicates) / Double(Self.packets)
        #expect(duplicates == link.counters.duplicated)
        #expect(abs(rate - 0.03) < 5 * (0.03 * 0.97 / Double(Self.packets)).squareRoot(), "duplication \(rate)")
        #expect(out.count == Self.packets + duplicates)
        #expect(link.counters.delivered == out.count)
    }

    @Test("throughput of a constant-rate bottleneck under overload")
    func constantRateThroughput() throws {
        // 2 Mb/s bottleneck, 1,200-byte packets offered at 3 Mb/s (one every 3.2 ms).
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 2_000, queueBytes: 30_000),
                                         generator: SeededGenerator(seed: 7))
        var out: [LinkPacket<Int>] = []
        var now = Instant.zero
        for index in 0..<Self.packets {
            drain(&link, until: now, into: &out)
            link.send(index, size: 1_200, now: now)
            now = now + .microseconds(3_200)
        }
        // Deliveries while the source was active: bytes over the active time.
        let bytes = out.reduce(0) { $0 + $1.bytes }
        let rateBps = Double(bytes) * 8 / now.seconds
        #expect(abs(rateBps - 2_000_000) < 0.01 * 2_000_000, "throughput \(rateBps) b/s")
        #expect(link.counters.droppedByQueue > Self.packets / 4)
    }

    @Test("an unconstrained link passes everything straight through")
    func lossless() throws {
        var link = try LinkEmulator<Int>(profile: LinkProfile(), generator: SeededGenerator(seed: 8))
        let out = runPeriodic(&link, count: 1_000, spacing: .milliseconds(1))
        #expect(out.map(\.payload) == Array(0..<1_000))
        #expect(out.allSatisfy { $0.deliveredAt == $0.sentAt })
    }

    /// Mean length of runs of consecutive missing sequence numbers.
    func meanBurstLength(delivered: [LinkPacket<Int>], total: Int) -> Double {
        var received = [Bool](repeating: false, count: total)
        for packet in delivered { received[packet.payload] = true }
        var bursts = 0
        var lost = 0
        var previousLost = false
        for ok in received {
            if !ok {
                lost += 1
                if !previousLost { bursts += 1 }
            }
            previousLost = !ok
        }
        return bursts == 0 ? 0 : Double(lost) / Double(bursts)
    }
}
