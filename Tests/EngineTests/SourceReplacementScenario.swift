import Engine
import RTP
import Testing

/// The publisher restarts its stream with a new SSRC, sequence space and timestamps: the
/// subscriber keeps one continuous stream that resumes at a key frame.
@Suite struct SourceReplacementScenario {
    @Test func newSourceContinuesTheConsumersStream() throws {
        let bench = EngineBench()
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, encodings: [ProducerEncoding(ssrc: 1_000)]))
        let (_, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))

        var old = SyntheticVP8Stream(ssrc: 1_000, sequence: 100)
        old.keyFrameInterval = 1_000
        var timestamp: UInt32 = 5_000
        for _ in 0..<30 {
            for packet in old.nextFrame(timestamp: timestamp) { bench.send(packet, from: publisher, to: send.local) }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        try bench.engine.replaceProducerSource(producer, encodings: [ProducerEncoding(ssrc: 2_000)], now: bench.now)
        #expect(throws: Engine.ControlError.self) {
            try bench.engine.replaceProducerSource(producer, encodings: [], now: bench.now)
        }
        // The new source: another SSRC, sequence numbers across the wrap, unrelated timestamps;
        // a straggler from the old source must not get through.
        var new = SyntheticVP8Stream(ssrc: 2_000, sequence: 65_530)
        new.keyFrameInterval = 1_000
        var newTimestamp: UInt32 = 4_000_000_000
        for packet in old.nextFrame(timestamp: timestamp) { bench.send(packet, from: publisher, to: send.local) }
        for _ in 0..<30 {
            for packet in new.nextFrame(timestamp: newTimestamp) { bench.send(packet, from: publisher, to: send.local) }
            newTimestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        bench.run(until: bench.now + .milliseconds(200))

        let headers = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc)
        #expect(headers.count == 120)
        for (previous, next) in zip(headers, headers.dropFirst()) {
            #expect(previous.sequenceNumber.distance(to: next.sequenceNumber) == 1)
            #expect(Int32(bitPattern: next.timestamp &- previous.timestamp) > 0 || previous.timestamp == next.timestamp)
        }
        #expect(bench.engine.counters.dropped(.unknownSSRC) == 2)
    }
}
