import Engine
import RTP
import Testing

/// A consumer that forwards only temporal layers 0–1 while the publisher's link loses 5 %:
/// packets the engine recovers late (by RTX) keep their output numbers, so the subscriber's
/// stream has no hole that nobody can fill.
@Suite struct TemporalFilterRecoveryScenario {
    @Test(arguments: [UInt64(4), 5, 6])
    func lateRecoveredPacketsLeaveNoHole(seed: UInt64) throws {
        try run(seed: seed, switchLayersEvery: nil)
    }

    /// The same while the consumer also switches spatial layers: numbers of the old run that the
    /// engine never received in time are filled with padding when the new run starts.
    @Test(arguments: [UInt64(7), 8, 9])
    func layerSwitchesDuringLossLeaveNoHole(seed: UInt64) throws {
        try run(seed: seed, switchLayersEvery: 25)
    }

    func run(seed: UInt64, switchLayersEvery: Int?) throws {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        let bench = EngineBench(profile: profile, seed: seed)
        bench.random = SeededGenerator(seed: seed &* 17)
        bench.uplinkLoss = 0.05
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, rtxPayloadType: 102,
            encodings: [ProducerEncoding(ssrc: 7_000, rtxSSRC: 7_001), ProducerEncoding(ssrc: 7_002, rtxSSRC: 7_003)]))
        let (consumer, parameters) = try bench.engine.consume(
            on: receive.id, ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 0, temporalLayer: 1)))

        var sent: [UInt32: [UInt16: [UInt8]]] = [:]
        var rtxSequence: UInt16 = 0
        bench.onReceive = { endpoint, bytes, _ in
            guard endpoint == publisher, RTPDemux.isRTCP(bytes), let packets = try? RTCPPacket.parseCompound(bytes) else { return [] }
            var answers: [(to: Endpoint, bytes: [UInt8])] = []
            for case .nack(let request) in packets {
                let rtxSSRC = request.mediaSSRC + 1
                for sequence in request.lostSequenceNumbers {
                    guard let original = sent[request.mediaSSRC]?[sequence],
                          let rtx = try? RTX.wrap(original, ssrc: rtxSSRC, payloadType: 102, sequenceNumber: SequenceNumber(rtxSequence))
                    else { continue }
                    rtxSequence &+= 1
                    answers.append((send.local, rtx))
                }
            }
            return answers
        }
        var streams = [SyntheticVP8Stream(ssrc: 7_000, sequence: 65_000), SyntheticVP8Stream(ssrc: 7_002, sequence: 100)]
        var timestamp: UInt32 = 0
        for frame in 0..<200 {
            if let every = switchLayersEvery, frame % every == every - 1 {
                let spatial = (frame / every) % 2 == 0 ? 1 : 0
                try bench.engine.setPreferredLayers(consumer, ConsumerLayers(spatialLayer: spatial, temporalLayer: 2 - spatial),
                                                    now: bench.now)
            }
            for index in streams.indices {
                streams[index].keyFrameInterval = switchLayersEvery == nil ? 100_000 : 10
                streams[index].packetsPerFrame = 1
                for packet in streams[index].nextFrame(timestamp: timestamp) {
                    let header = try RTPHeader(parsing: packet)
                    sent[header.ssrc, default: [:]][header.sequenceNumber.rawValue] = packet
                    bench.send(packet, from: publisher, to: send.local)
                }
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        bench.run(until: bench.now + .seconds(2))

        let received = Set(bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).map(\.sequenceNumber.rawValue))
        let ordered = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).map(\.sequenceNumber)
        let first = try #require(ordered.first)
        let span = ordered.map { first.distance(to: $0) }.max() ?? 0
        let holes = (0...span).filter { !received.contains(first.advanced(by: $0).rawValue) }
        #expect(span > 100)
        #expect(holes.isEmpty, "output sequence numbers never sent: \(holes.prefix(10))")
    }
}
