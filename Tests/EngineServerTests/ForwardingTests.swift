import ControlAPI
import Engine
import EngineClient
import RTP
import Testing

/// Real RTP over real sockets: a publisher sends to its transport's port, the subscriber's socket
/// receives the consumer's stream (its SSRC, continuous sequence numbers).
@Suite struct ForwardingTests {
    @Test(arguments: [1, 2])
    func udpAudioAndVideoReachTheConsumer(workers: Int) throws {
        try ServerFixture.run(workers: workers) { fixture in
            let client = fixture.client
            let publisher = try UDPPeer(group: fixture.peers)
            let subscriber = try UDPPeer(group: fixture.peers)
            defer { publisher.close(); subscriber.close() }
            let send = try client.createTransport(room: "forward", protocol: .udp)
            let receive = try client.createTransport(room: "forward", protocol: .udp, comedia: false)
            try client.connectTransport(room: "forward", transport: receive.id, ip: "127.0.0.1", port: subscriber.port)

            var audio = AudioStream(ssrc: 1_111, payloadType: try fixture.payloadType("audio/opus"))
            var video = VP8KeyFrameStream(ssrc: 2_222, payloadType: try fixture.payloadType("video/VP8"))
            let audioProducer = try client.produce(room: "forward", transport: send.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: audio.payloadType, encodings: [ProducerEncoding(ssrc: audio.ssrc)]))
            let videoProducer = try client.produce(room: "forward", transport: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: video.payloadType, encodings: [ProducerEncoding(ssrc: video.ssrc)]))
            let audioConsumer = try client.consume(room: "forward", transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: audioProducer)))
            let videoConsumer = try client.consume(room: "forward", transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: videoProducer)))
            #expect(audioConsumer.ssrc != audio.ssrc && videoConsumer.ssrc != video.ssrc)

            let count = 40
            for _ in 0..<count {
                try publisher.send(audio.next(), toPort: send.port)
                try publisher.send(video.next(), toPort: send.port)
            }
            let received = subscriber.inbox.wait { packets in
                rtpHeaders(packets, ssrc: audioConsumer.ssrc).count >= count && rtpHeaders(packets, ssrc: videoConsumer.ssrc).count >= count
            }
            let audioHeaders = rtpHeaders(received, ssrc: audioConsumer.ssrc)
            let videoHeaders = rtpHeaders(received, ssrc: videoConsumer.ssrc)
            #expect(audioHeaders.count == count)
            #expect(videoHeaders.count == count)
            #expect(isContinuous(audioHeaders))
            #expect(isContinuous(videoHeaders))
            #expect(audioHeaders.allSatisfy { $0.payloadType == audioConsumer.payloadType })

            let stats = try client.roomStats(room: "forward")
            #expect(stats.packetsForwarded >= 2 * count)
            #expect(stats.datagramsReceived >= 2 * count)
            #expect(stats.transports == 2 && stats.producers == 2 && stats.consumers == 2)
            let transportStats = try client.transportStats(room: "forward", transport: send.id)
            #expect(transportStats.bytesReceived > 0)
            #expect(try client.transportStats(room: "forward", transport: receive.id).bytesSent > 0)
        }
    }

    @Test func engineLatencyIsReportedByStageAfterForwarding() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let call = try AudioCall(fixture, room: "latency", ssrc: 3_333)
            defer { call.close() }
            let (publisher, subscriber, send, consumer) = (call.publisher, call.subscriber, call.send, call.consumer)
            var audio = call.stream
            #expect(try client.roomStats(room: "latency").engineLatency.isEmpty)
            for _ in 0..<20 { try publisher.send(audio.next(), toPort: send.port) }
            subscriber.inbox.wait { rtpHeaders($0, ssrc: consumer.ssrc).count >= 20 }

            let stats = try client.roomStats(room: "latency")
            #expect(stats.engineLatency.map(\.stage) == ["receive", "route", "send", "total"])
            for stage in stats.engineLatency {
                #expect(stage.count > 0 && stage.count <= stats.packetsForwarded)
                #expect(stage.p50Micros <= stage.p99Micros && stage.p99Micros <= stage.maxMicros)
            }
            let total = try #require(stats.engineLatency.first { $0.stage == "total" })
            let route = try #require(stats.engineLatency.first { $0.stage == "route" })
            #expect(total.maxMicros >= route.p50Micros)
            #expect((stats.cpuNanosecondsPerForwardedPacket ?? 0) > 0)
        }
    }

    @Test func tcpTransportsForwardWithRFC4571Framing() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let send = try client.createTransport(room: "tcp", protocol: .tcp)
            let receive = try client.createTransport(room: "tcp", protocol: .tcp)
            #expect(send.protocol == .tcp)
            let publisher = try TCPPeer(group: fixture.peers, port: send.port)
            // Comedia over TCP: the accepted connection is the transport's remote.
            let subscriber = try TCPPeer(group: fixture.peers, port: receive.port)
            defer { publisher.close(); subscriber.close() }
            var audio = AudioStream(ssrc: 4_444, payloadType: try fixture.payloadType("audio/opus"))
            let producer = try client.produce(room: "tcp", transport: send.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: audio.payloadType, encodings: [ProducerEncoding(ssrc: audio.ssrc)]))
            let consumer = try client.consume(room: "tcp", transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            for _ in 0..<30 { try publisher.send(audio.next()) }
            let headers = rtpHeaders(subscriber.inbox.wait { rtpHeaders($0, ssrc: consumer.ssrc).count >= 30 }, ssrc: consumer.ssrc)
            #expect(headers.count == 30)
            #expect(isContinuous(headers))
        }
    }

    @Test func garbageIsCountedAndDoesNotDisturbForwarding() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let call = try AudioCall(fixture, room: "garbage", ssrc: 5_555)
            defer { call.close() }
            let (publisher, subscriber, send, consumer) = (call.publisher, call.subscriber, call.send, call.consumer)
            var audio = call.stream
            let garbage: [[UInt8]] = [[0x00, 0x01, 0x02], Array("GET / HTTP/1.1\r\n".utf8), [0x80], [UInt8](repeating: 0xFF, count: 40)]
            for index in 0..<30 {
                try publisher.send(audio.next(), toPort: send.port)
                try publisher.send(garbage[index % garbage.count], toPort: send.port)
            }
            let headers = rtpHeaders(subscriber.inbox.wait { rtpHeaders($0, ssrc: consumer.ssrc).count >= 30 }, ssrc: consumer.ssrc)
            #expect(headers.count == 30)
            #expect(isContinuous(headers))
            let stats = try client.roomStats(room: "garbage")
            let dropped = stats.drops.values.reduce(0, +)
            #expect(dropped == 30)
            #expect(stats.drops["notRTPOrRTCP"] ?? 0 > 0)
            #expect(stats.drops["malformedRTP"] ?? 0 > 0)
        }
    }

    @Test func brokenTCPFramingClosesTheConnectionAndIsCounted() throws {
        try ServerFixture.run { fixture in
            let transport = try fixture.client.createTransport(room: "framing", protocol: .tcp)
            let peer = try TCPPeer(group: fixture.peers, port: transport.port)
            defer { peer.close() }
            try peer.sendRaw([0x00, 0x00, 0x01, 0x02])  // a zero length: not RFC 4571
            #expect(try waitFor(peer.channel.closeFuture, seconds: 10) != nil)
            #expect(try fixture.client.roomStats(room: "framing").drops["tcpFraming"] == 1)
        }
    }
}
