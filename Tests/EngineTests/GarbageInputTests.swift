import Engine
import RTP
import Testing

/// Garbage on the wire is counted by reason and dropped; nothing crashes and nothing is sent.
@Suite struct GarbageInputTests {
    @Test func malformedAndUnknownPacketsAreCountedAndDropped() throws {
        let engine = Engine(profile: Profile(), seed: 3)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let transport = engine.createTransport(remote: publisher)
        _ = try engine.produce(on: transport.id, ProducerOptions(
            kind: .audio, mimeType: "audio/opus", payloadType: 100, encodings: [ProducerEncoding(ssrc: 42)]))
        var random = SeededGenerator(seed: 11)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            engine.handleDatagram(from: publisher, to: transport.local, bytes: bytes, now: .zero)
        }
        // An RTP packet with an unknown SSRC, one with a wrong payload type, one to no transport.
        let unknown = try RTPPacketBuilder(payloadType: 100, sequenceNumber: SequenceNumber(1), timestamp: 0, ssrc: 77).build(payload: [1])
        engine.handleDatagram(from: publisher, to: transport.local, bytes: unknown, now: .zero)
        let wrongType = try RTPPacketBuilder(payloadType: 99, sequenceNumber: SequenceNumber(1), timestamp: 0, ssrc: 42).build(payload: [1])
        engine.handleDatagram(from: publisher, to: transport.local, bytes: wrongType, now: .zero)
        engine.handleDatagram(from: publisher, to: Endpoint(127, 0, 0, 1, port: 1), bytes: unknown, now: .zero)

        #expect(engine.counters.datagramsReceived == 303)
        #expect(engine.counters.dropped(.unknownSSRC) >= 1)
        #expect(engine.counters.dropped(.unknownPayloadType) >= 1)
        #expect(engine.counters.dropped(.unknownTransport) == 1)
        #expect(engine.counters.dropped(.notRTPOrRTCP) > 100)
        #expect(engine.counters.packetsForwarded == 0)
        while let output = engine.poll() {
            if case .transmit = output { Issue.record("garbage must not cause output") }
        }
    }
}
