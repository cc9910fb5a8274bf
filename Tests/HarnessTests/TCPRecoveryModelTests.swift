import Engine
import Testing
@testable import Harness

@Suite("TCPRecoveryModel")
struct TCPRecoveryModelTests {
    /// Feeds `count` segments `spacing` apart and reads each as soon as it is due; returns
    /// (payload, arrival, read) per segment in read order.
    func run(_ settings: TCPRecoveryModel<Int>.Settings, seed: UInt64 = 1, count: Int = 20_000,
             spacing: Duration = .milliseconds(5)) -> (reads: [(payload: Int, arrived: Instant, read: Instant)], model: TCPRecoveryModel<Int>) {
        var model = TCPRecoveryModel<Int>(settings: settings, generator: SeededGenerator(seed: seed))
        var reads: [(Int, Instant, Instant)] = []
        var arrivals: [Instant] = []
        var next = 0
        var now = Instant.zero
        while next < count || model.queued > 0 {
            let arrival = next < count ? Instant.zero + spacing * next : nil
            let due = model.nextDeadline()
            now = [arrival, due].compactMap { $0 }.min()!
            if let arrival, arrival == now {
                model.arrive(next, now: now)
                arrivals.append(now)
                next += 1
            }
            while let payload = model.poll(now: now) { reads.append((payload, arrivals[payload], now)) }
        }
        return (reads.map { (payload: $0.0, arrived: $0.1, read: $0.2) }, model)
    }

    @Test("without loss every segment is read the moment it arrives, in order")
    func lossless() {
        let (reads, model) = run(.init(lossRate: 0, roundTrip: .milliseconds(60)), count: 1_000)
        #expect(reads.map(\.payload) == Array(0..<1_000))
        #expect(reads.allSatisfy { $0.read == $0.arrived })
        #expect(model.counters.lost == 0 && model.counters.delayed == 0)
    }

    @Test("loss becomes delay: nothing is dropped, order is kept, and a lost segment waits about one round trip after the third segment behind it")
    func fastRetransmit() {
        let settings = TCPRecoveryModel<Int>.Settings(lossRate: 0.02, roundTrip: .milliseconds(60))
        let (reads, model) = run(settings)
        #expect(reads.map(\.payload) == Array(0..<20_000))
        #expect(zip(reads, reads.dropFirst()).allSatisfy { $0.read <= $1.read })
        let lost = Double(model.counters.lost) / 20_000
        #expect(abs(lost - 0.02) < 0.004)
        // With segments every 5 ms the third one behind arrives 15 ms later: most losses are
        // recovered by fast retransmit after 15 + 60 = 75 ms (longer when a retransmission is lost).
        #expect(Double(model.counters.fastRetransmits) > 0.9 * Double(model.counters.lost))
        let ownDelays = reads.filter { $0.read > $0.arrived }.map { ($0.read - $0.arrived).milliseconds }
        #expect(ownDelays.max()! >= 75)
        #expect(model.counters.delayed > model.counters.lost)  // head-of-line blocking holds later segments too
    }

    @Test("with too few segments behind a loss, the retransmission timer (200 ms floor) recovers it")
    func timeout() {
        var settings = TCPRecoveryModel<Int>.Settings(lossRate: 0.05, roundTrip: .milliseconds(20))
        settings.maximumRetransmissions = 1  // no lost retransmissions: each loss costs exactly one RTO
        let (reads, model) = run(settings, count: 4_000, spacing: .milliseconds(250))
        #expect(reads.count == 4_000)
        #expect(model.counters.fastRetransmits == 0)
        #expect(settings.retransmissionTimeout == .milliseconds(200))
        let delays = reads.filter { $0.read > $0.arrived }.map { ($0.read - $0.arrived).milliseconds }
        #expect(delays.count == model.counters.lost && !delays.isEmpty)
        #expect(delays.allSatisfy { $0 == 200 })
    }

    @Test("a lost retransmission waits for the doubled timer")
    func backoff() {
        var settings = TCPRecoveryModel<Int>.Settings(lossRate: 0.3, roundTrip: .milliseconds(20))
        settings.duplicateACKThreshold = 1_000  // timer only
        let (reads, model) = run(settings, count: 2_000, spacing: .milliseconds(1_000))
        #expect(model.counters.retransmissions > model.counters.lost)
        let delays = Set(reads.filter { $0.read > $0.arrived }.map { ($0.read - $0.arrived).milliseconds })
        // 200 ms after one loss; 200 + 400 = 600 ms when the first retransmission is lost too.
        #expect(delays.contains(200) && delays.contains(600))
    }

    @Test("more loss means more added delay")
    func direction() {
        func meanAdded(_ loss: Double) -> Double {
            let model = run(.init(lossRate: loss, roundTrip: .milliseconds(60)), count: 10_000).model
            return model.counters.addedDelay.milliseconds / 10_000
        }
        #expect(meanAdded(0.01) < meanAdded(0.05))
    }

    @Test("same seed, same reads")
    func determinism() {
        let settings = TCPRecoveryModel<Int>.Settings(lossRate: 0.03, meanBurstLength: 2, roundTrip: .milliseconds(40))
        #expect(run(settings, seed: 9, count: 3_000).reads.map(\.read) == run(settings, seed: 9, count: 3_000).reads.map(\.read))
    }
}
