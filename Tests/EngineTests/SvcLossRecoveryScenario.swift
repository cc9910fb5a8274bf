import Engine
import RTP
import Testing

/// An SVC consumer switching spatial and temporal layers while the publisher's link loses 5 %:
/// with NACK/RTX upstream, the subscriber's stream has no output number that never arrives
/// (late packets of filtered layers become padding, unsent numbers of a run get padding).
@Suite struct SvcLossRecoveryScenario {
    @Test(arguments: [UInt64(4), 5, 6])
    func layerSwitchesDuringLossLeaveNoHole(seed: UInt64) throws {
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
            kind: .video, mimeType: "video/VP9", payloadType: 103, rtxPayloadType: 104,
            encodings: [ProducerEncoding(ssrc: 9_000, rtxSSRC: 9_001, scalabilityMode: "L3T3_KEY")]))
        let (consumer, parameters) = try bench.engine.consume(
            on: receive.id, ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 1, temporalLayer: 1)))
        #expect(parameters.type == .svc)

        var sent: [UInt16: [UInt8]] = [:]
        var rtxSequence: UInt16 = 0
        bench.onReceive = { endpoint, bytes, _ in
            guard endpoint == publisher, RTPDemux.isRTCP(bytes), let packets = try? RTCPPacket.parseCompound(bytes) else { return [] }
            var answers: [(to: Endpoint, bytes: [UInt8])] = []
            for case .nack(let request) in packets where request.mediaSSRC == 9_000 {
                for sequence in request.lostSequenceNumbers {
                    guard let original = sent[sequence],
                          let rtx = try? RTX.wrap(original, ssrc: 9_001, payloadType: 104, sequenceNumber: SequenceNumber(rtxSequence))
                    else { continue }
                    rtxSequence &+= 1
                    answers.append((send.local, rtx))
                }
            }
            return answers
        }
        var stream = SyntheticVP9Stream(ssrc: 9_000, sequence: 65_000)
        stream.keyFrameInterval = 10
        stream.packetsPerLayer = 1
        var timestamp: UInt32 = 0
        let cycle = [ConsumerLayers(spatialLayer: 2, temporalLayer: 2), ConsumerLayers(spatialLayer: 0, temporalLayer: 1),
                     ConsumerLayers(spatialLayer: 1, temporalLayer: 0), ConsumerLayers(spatialLayer: 2, temporalLayer: 1)]
        for frame in 0..<200 {
            if frame % 25 == 24 {
                try bench.engine.setPreferredLayers(consumer, cycle[(frame / 25) % cycle.count], now: bench.now)
            }
            for packet in stream.nextPicture(timestamp: timestamp) {
                let header = try RTPHeader(parsing: packet)
                sent[header.sequenceNumber.rawValue] = packet
                bench.send(packet, from: publisher, to: send.local)
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        bench.run(until: bench.now + .seconds(2))

        let ordered = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).map(\.sequenceNumber)
        let received = Set(ordered.map(\.rawValue))
        let first = try #require(ordered.first)
        let span = ordered.map { first.distance(to: $0) }.max() ?? 0
        let holes = (0...span).filter { !received.contains(first.advanced(by: $0).rawValue) }
        #expect(span > 150)
        #expect(bench.engine.counters.rtxPacketsReceived > 0)
        #expect(holes.isEmpty, "output sequence numbers never sent: \(holes.prefix(10))")
    }
}
