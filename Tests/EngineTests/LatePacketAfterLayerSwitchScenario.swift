import Engine
import RTP
import Testing

/// A simulcast consumer switches from stream 0 to stream 1 at stream 1's key frame; a packet of
/// stream 1 sent before that key frame (lost upstream, then recovered or reordered) reaches the
/// engine afterwards. It belongs before the consumer's current run, so it must not get an output
/// number: in a trial (`sfulab trial --participants 5 --network 4g --duration 10s --seed 1`) the
/// engine once mapped such a packet with the previous run's offset and the subscriber saw its
/// sequence numbers jump ~21,800 ahead (half the trial's packets "lost").
@Suite struct LatePacketAfterLayerSwitchScenario {
    /// Temporal layer 2 forwards the late packet's layer (the mapping path); temporal layer 1
    /// filters it (the padding path for numbers the run already reserved).
    @Test(arguments: [2, 1])
    func latePacketFromBeforeTheRunLeavesTheStreamContinuous(temporalLayer: Int) throws {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        let bench = EngineBench(profile: profile)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let sendTransport = bench.engine.createTransport(remote: publisher)
        let receiveTransport = bench.engine.createTransport(remote: subscriber)
        let ssrcs: [UInt32] = [1_111, 2_222]
        let producer = try bench.engine.produce(on: sendTransport.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101,
            encodings: ssrcs.map { ProducerEncoding(ssrc: $0, maxBitrate: 500_000) }))
        let (consumer, parameters) = try bench.engine.consume(
            on: receiveTransport.id,
            ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 0, temporalLayer: 2)))

        // Stream 1 numbers lie far above stream 0's, so an offset of the stream-0 run applied to a
        // stream-1 packet lands far from the subscriber's numbering.
        var streams = [SyntheticVP8Stream(ssrc: ssrcs[0], sequence: 1_000), SyntheticVP8Stream(ssrc: ssrcs[1], sequence: 20_000)]
        for index in streams.indices { streams[index].keyFrameInterval = 30 }
        var timestamp: UInt32 = 0
        var withheld: [UInt8]?
        func sendFrame() {
            for index in streams.indices {
                // Stream 1's frame 29 (temporal layer 2) comes just before its key frame at 30.
                let holdBack = index == 1 && streams[index].frameIndex == 29
                let packets = streams[index].nextFrame(timestamp: timestamp)
                for (position, packet) in packets.enumerated() {
                    if holdBack && position == packets.count - 1 {
                        withheld = packet
                    } else {
                        bench.send(packet, from: publisher, to: sendTransport.local)
                    }
                }
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }

        for _ in 0..<20 { sendFrame() }
        try bench.engine.setPreferredLayers(consumer, ConsumerLayers(spatialLayer: 1, temporalLayer: temporalLayer),
                                            now: bench.now)
        for _ in 0..<16 { sendFrame() }
        let late = try #require(withheld)
        bench.send(late, from: publisher, to: sendTransport.local)
        for _ in 0..<10 { sendFrame() }
        bench.run(until: bench.now + .seconds(1))

        // The switch happened, and the subscriber's numbers never jump: each packet follows the
        // previous one (no loss on this bench, so nothing is missing and nothing is reordered).
        let spatial = bench.events.compactMap { event -> Int? in
            if case .consumerLayersChanged(consumer, let layers?) = event { return layers.spatialLayer }
            return nil
        }
        #expect(spatial.last == 1)
        let received = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).map(\.sequenceNumber)
        #expect(received.count > 60)
        let steps = zip(received, received.dropFirst()).map { $0.distance(to: $1) }
        let jumps = steps.enumerated().filter { $0.element != 1 }.map { "after packet \($0.offset): \($0.element)" }
        #expect(jumps.isEmpty, "sequence number steps other than +1: \(jumps.prefix(5))")
    }
}
