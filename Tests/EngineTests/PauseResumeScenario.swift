import Engine
import RTP
import Testing

/// Pausing a consumer stops its stream; resuming restarts it at a key frame with the sequence
/// numbers continuing where they stopped. Pausing the producer does the same for all consumers.
@Suite struct PauseResumeScenario {
    struct Setup {
        let bench = EngineBench()
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        var stream = SyntheticVP8Stream(ssrc: 4_444)
        var timestamp: UInt32 = 0
        let producer: ProducerID
        let consumer: ConsumerID
        let parameters: ConsumerParameters
        let sendLocal: Endpoint

        init() throws {
            let send = bench.engine.createTransport(remote: publisher)
            let receive = bench.engine.createTransport(remote: subscriber)
            sendLocal = send.local
            producer = try bench.engine.produce(on: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: 101, encodings: [ProducerEncoding(ssrc: 4_444)]))
            (consumer, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))
            stream.keyFrameInterval = 1_000
        }

        mutating func send(frames: Int) {
            for _ in 0..<frames {
                for packet in stream.nextFrame(timestamp: timestamp, forceKeyFrame: bench.events.contains { $0.isKeyFrameRequest } && keyFramePending()) {
                    bench.send(packet, from: publisher, to: sendLocal)
                }
                timestamp &+= 3_000
                bench.run(until: bench.now + .milliseconds(33))
            }
        }

        /// The publisher answers a key-frame request once (as a browser does on PLI).
        private var answered = 0
        mutating func keyFramePending() -> Bool {
            let requests = bench.events.filter(\.isKeyFrameRequest).count
            if requests > answered {
                answered = requests
                return true
            }
            return false
        }

        /// Lets everything in flight arrive.
        func settle() { bench.run(until: bench.now + .milliseconds(200)) }

        func received() -> [RTPHeader] { bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc) }
    }

    @Test func consumerPauseAndResumeRestartsAtKeyFrame() throws {
        var setup = try Setup()
        setup.send(frames: 30)
        setup.settle()
        let beforePause = setup.received().count
        #expect(beforePause == 60)
        try setup.bench.engine.pauseConsumer(setup.consumer)
        setup.send(frames: 30)
        setup.settle()
        #expect(setup.received().count == beforePause)
        try setup.bench.engine.resumeConsumer(setup.consumer, now: setup.bench.now)
        setup.send(frames: 30)
        let all = setup.received()
        #expect(all.count > beforePause)
        // Sequence numbers continue without a hole across the pause.
        #expect(all[beforePause - 1].sequenceNumber.distance(to: all[beforePause].sequenceNumber) == 1)
        // The first packet after resuming belongs to a key frame.
        let resumedBytes = (setup.bench.inbox[setup.subscriber] ?? []).filter { !RTPDemux.isRTCP($0) }[beforePause]
        let payload = Array(resumedBytes[try RTPHeader(parsing: resumedBytes).payloadRange])
        #expect(payload.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) })
    }

    @Test func producerPauseStopsEveryConsumer() throws {
        var setup = try Setup()
        setup.send(frames: 10)
        setup.settle()
        let before = setup.received().count
        try setup.bench.engine.pauseProducer(setup.producer)
        setup.send(frames: 10)
        setup.settle()
        #expect(setup.received().count == before)
        try setup.bench.engine.resumeProducer(setup.producer, now: setup.bench.now)
        setup.send(frames: 10)
        #expect(setup.received().count > before)
    }
}

extension EngineEvent {
    var isKeyFrameRequest: Bool {
        if case .keyFrameRequested = self { return true }
        return false
    }
}
