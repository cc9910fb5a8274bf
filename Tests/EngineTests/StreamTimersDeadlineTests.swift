@testable import Engine
import RTP
import Testing

/// The engine keeps the earliest stream timer (`streamTimersDeadline`) up to date from the
/// streams whose NACK or key-frame timers changed, comparing every slot only when the earliest
/// may have moved later. Under loss (NACK timers starting, firing, stopping) and after the
/// producer closes, it must equal the minimum over all slots each time the deadline is asked for.
@Suite struct StreamTimersDeadlineTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func theEarliestStreamTimerIsTheMinimumOverAllSlots(seed: UInt64) throws {
        let bench = EngineBench(seed: seed)
        bench.random = SeededGenerator(seed: seed &* 17)
        bench.uplinkLoss = 0.1
        let (publisherEndpoint, _, send, _, _) = try bench.connectVP8PublisherWithRTX()
        let publisher = try #require(bench.engine.producerList.first)
        var stream = SyntheticVP8Stream(ssrc: 5_555)
        var timestamp: UInt32 = 0
        var withTimers = 0
        for frame in 0..<200 {
            if frame == 150 { try bench.engine.closeProducer(publisher.id) }
            if frame < 150 {
                for packet in stream.nextFrame(timestamp: timestamp) {
                    bench.send(packet, from: publisherEndpoint, to: send.local)
                }
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(Int64(5 + frame % 40)))
            _ = bench.engine.nextDeadline()
            let minimum = bench.engine.streamTimerDeadlines.compactMap { $0 }.min()
            #expect(bench.engine.streamTimersDeadline == minimum, "frame \(frame)")
            if minimum != nil { withTimers += 1 }
        }
        // NACK timers were running for a good part of the run, or the check proved little.
        #expect(withTimers > 20)
    }
}
