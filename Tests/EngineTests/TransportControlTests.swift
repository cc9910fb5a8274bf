import Engine
import RTP
import Testing

/// `connectTransport` sets where a transport sends (and keeps it); `closeTransport` stops a
/// transport receiving and sending and closes what lives on it.
@Suite struct TransportControlTests {
    let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
    let subscriber = Endpoint(127, 1, 0, 2, port: 6_000)

    @Test func connectSetsTheRemoteTheEngineSendsTo() throws {
        let bench = EngineBench()
        let send = bench.engine.createTransport()
        let receive = bench.engine.createTransport()
        #expect(try bench.engine.remote(of: receive.id) == nil)
        try bench.engine.connectTransport(receive.id, remote: subscriber)
        #expect(try bench.engine.remote(of: receive.id) == subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, encodings: [ProducerEncoding(ssrc: 4_444)]))
        let (_, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))
        var stream = SyntheticVP8Stream(ssrc: 4_444)
        for packet in stream.nextFrame(timestamp: 0) { bench.send(packet, from: publisher, to: send.local) }
        bench.run(until: .milliseconds(100))
        #expect(bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).count == stream.packetsPerFrame)
        // Comedia learned the publisher's address; the connected remote is kept.
        #expect(try bench.engine.remote(of: send.id) == publisher)
        #expect(try bench.engine.remote(of: receive.id) == subscriber)
    }

    @Test func closedTransportDropsItsDatagramsAndClosesItsProducers() throws {
        let bench = EngineBench()
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, encodings: [ProducerEncoding(ssrc: 4_444)]))
        let (consumer, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))
        #expect(bench.engine.transportCount == 2 && bench.engine.producerCount == 1 && bench.engine.consumerCount == 1)

        try bench.engine.closeTransport(send.id)
        #expect(bench.engine.transportCount == 1 && bench.engine.producerCount == 0 && bench.engine.consumerCount == 0)
        #expect(throws: Engine.ControlError.unknownConsumer(consumer)) { try bench.engine.pauseConsumer(consumer) }
        #expect(throws: Engine.ControlError.unknownTransport(send.id)) { try bench.engine.closeTransport(send.id) }
        #expect(throws: Engine.ControlError.unknownTransport(send.id)) {
            try bench.engine.connectTransport(send.id, remote: publisher)
        }

        let dropsBefore = bench.engine.counters.dropped(.unknownTransport)
        var stream = SyntheticVP8Stream(ssrc: 4_444)
        for packet in stream.nextFrame(timestamp: 0) { bench.send(packet, from: publisher, to: send.local) }
        bench.run(until: .milliseconds(100))
        #expect(bench.engine.counters.dropped(.unknownTransport) == dropsBefore + stream.packetsPerFrame)
        #expect(bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).isEmpty)
        // A new transport gets a new id and port.
        let again = bench.engine.createTransport()
        #expect(again.id != send.id && again.local != send.local)
    }
}
