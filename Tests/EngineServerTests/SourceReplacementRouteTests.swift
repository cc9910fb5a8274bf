import ControlAPI
import Engine
import EngineClient
import RTP
import Testing

/// A device switch over the control API: after `PUT /producers/{id}/source` the publisher's new
/// SSRC is forwarded on the same consumer, whose sequence numbers stay continuous.
@Suite struct SourceReplacementRouteTests {
    @Test func newSSRCIsForwardedOnTheSameConsumerWithoutAGap() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let call = try AudioCall(fixture, room: "switch", ssrc: 4_444)
            defer { call.close() }
            var before = call.stream
            for _ in 0..<10 { try call.publisher.send(before.next(), toPort: call.send.port) }
            call.subscriber.inbox.wait { rtpHeaders($0, ssrc: call.consumer.ssrc).count >= 10 }

            try client.replaceProducerSource(room: "switch", producer: call.consumer.producerId,
                                             encodings: [ProducerEncoding(ssrc: 5_555)])
            // The new microphone starts its own sequence and timestamp spaces.
            var after = AudioStream(ssrc: 5_555, payloadType: before.payloadType, sequence: 40_000, timestamp: 123_456)
            for _ in 0..<10 { try call.publisher.send(after.next(), toPort: call.send.port) }
            // A straggler of the old source is dropped, not forwarded.
            try call.publisher.send(before.next(), toPort: call.send.port)
            let received = call.subscriber.inbox.wait { rtpHeaders($0, ssrc: call.consumer.ssrc).count >= 20 }
            let headers = rtpHeaders(received, ssrc: call.consumer.ssrc)
            #expect(headers.count == 20)
            #expect(isContinuous(headers))

            // Replacing with an SSRC count that does not match the producer is a 400 naming the problem.
            #expect {
                try client.replaceProducerSource(room: "switch", producer: call.consumer.producerId,
                                                 encodings: [ProducerEncoding(ssrc: 1), ProducerEncoding(ssrc: 2)])
            } throws: { error in
                guard case .server(let status, _, let message) = error as? EngineClientError else { return false }
                return status == 400 && !message.isEmpty
            }
            #expect(throws: EngineClientError.self) {
                try client.replaceProducerSource(room: "switch", producer: 99, encodings: [ProducerEncoding(ssrc: 6_666)])
            }
        }
    }
}
