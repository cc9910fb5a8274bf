import ControlAPI
import Engine
import EngineClient
@testable import EngineServer
import Foundation
import NIOCore
import NIOEmbedded
import RTP
import Testing

/// Room taps over real sockets: what the engine accepted from producers reaches the tap's UDP
/// receiver framed and timed, with events for producer changes; what it refused does not; a
/// receiver that goes away closes the tap; a full queue drops and counts.
@Suite struct TapTests {
    /// Every datagram `peer` received, parsed as tap frames.
    static func frames(_ peer: UDPPeer, atLeast count: Int) throws -> [TapFrame] {
        try peer.inbox.wait { $0.count >= count }.map { try TapFrame(parsing: $0) }
    }

    @Test func tapCopiesAcceptedProducerPacketsWithTimesAndEvents() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let publisher = try UDPPeer(group: fixture.peers)
            let receiver = try UDPPeer(group: fixture.peers)
            defer { publisher.close(); receiver.close() }
            let send = try client.createTransport(room: "tap")
            let tap = try client.createTap(room: "tap", ip: "127.0.0.1", port: receiver.port)
            #expect(tap.port == receiver.port && tap.frameVersion == 1 && tap.sourcePort > 0)
            let payloadType = try fixture.payloadType("audio/opus")
            var audio = AudioStream(ssrc: 1_111, payloadType: payloadType)
            let producer = try client.produce(room: "tap", transport: send.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: payloadType, encodings: [ProducerEncoding(ssrc: 1_111)]))

            var sent: [[UInt8]] = []
            for index in 0..<20 {
                let packet = audio.next()
                sent.append(packet)
                try publisher.send(packet, toPort: send.port)
                // What the engine refuses is not tapped: garbage, an unknown SSRC, a wrong payload type.
                if index == 5 { try publisher.send([0x01, 0x02, 0x03], toPort: send.port) }
                if index == 6 {
                    var unknown = AudioStream(ssrc: 9_999, payloadType: payloadType)
                    try publisher.send(unknown.next(), toPort: send.port)
                }
                if index == 7 {
                    var wrongType = AudioStream(ssrc: 1_111, payloadType: 96, sequence: 5_000)
                    try publisher.send(wrongType.next(), toPort: send.port)
                }
            }
            try client.pauseProducer(room: "tap", producer: producer)
            try client.resumeProducer(room: "tap", producer: producer)
            let frames = try Self.frames(receiver, atLeast: 23)

            let media = frames.filter { $0.kind == .media }
            #expect(media.map(\.body) == sent)
            #expect(media.allSatisfy { $0.producer == producer && $0.transport == send.id && $0.encodingIndex == 0 && !$0.isRetransmission })
            #expect(zip(media, media.dropFirst()).allSatisfy { $0.timeMicros <= $1.timeMicros })
            #expect(frames.map(\.sequence) == (0..<23).map(UInt32.init))
            let events = frames.filter { $0.kind == .event }
            #expect(events.map(\.event) == [.producerCreated, .producerPaused, .producerResumed])
            #expect(events.first?.sequence == 0)
            let descriptions = try events.map { try JSONDecoder().decode(ProducerDescription.self, from: Data($0.body)) }
            #expect(descriptions.map(\.paused) == [false, true, false])
            #expect(descriptions.allSatisfy { $0.id == producer && $0.transport == send.id && $0.encodings.first?.ssrc == 1_111 })

            let final = try client.closeTap(room: "tap", tap: tap.id)
            #expect(final.framesSent == 23 && final.framesDropped == 0)
            #expect(try client.listTaps(room: "tap").taps.isEmpty)
            // Nothing more reaches the closed tap's receiver: a second tap sees the next packet, the first does not.
            let other = try UDPPeer(group: fixture.peers)
            defer { other.close() }
            _ = try client.createTap(room: "tap", ip: "127.0.0.1", port: other.port)
            try publisher.send(audio.next(), toPort: send.port)
            #expect(try Self.frames(other, atLeast: 1).count == 1)
            #expect(receiver.inbox.all.count == 23)
        }
    }

    @Test func tapNamesSimulcastEncodingsAndUnwrapsRTX() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let publisher = try UDPPeer(group: fixture.peers)
            let receiver = try UDPPeer(group: fixture.peers)
            defer { publisher.close(); receiver.close() }
            let send = try client.createTransport(room: "rtx")
            let payloadType = try fixture.payloadType("video/VP8")
            let rtxPayloadType = try #require(client.capabilities().codecs.first { $0.mimeType == "video/VP8" }).rtxPayloadType
            let producer = try client.produce(room: "rtx", transport: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: payloadType, rtxPayloadType: rtxPayloadType,
                encodings: [ProducerEncoding(ssrc: 10, rtxSSRC: 11), ProducerEncoding(ssrc: 20, rtxSSRC: 21)]))
            _ = try client.createTap(room: "rtx", ip: "127.0.0.1", port: receiver.port)
            var high = VP8KeyFrameStream(ssrc: 20, payloadType: payloadType)
            // The second packet is lost on the way; its retransmission repairs the hole (an RTX
            // packet that repairs nothing is dropped by the engine and never reaches a tap).
            let first = high.next(), lost = high.next(), third = high.next()
            try publisher.send(first, toPort: send.port)
            try publisher.send(third, toPort: send.port)
            _ = try Self.frames(receiver, atLeast: 2)
            try publisher.send(RTX.wrap(lost, ssrc: 21, payloadType: rtxPayloadType, sequenceNumber: SequenceNumber(7)), toPort: send.port)
            let frames = try Self.frames(receiver, atLeast: 3)
            #expect(frames.map(\.encodingIndex) == [1, 1, 1])
            #expect(frames.map(\.isRetransmission) == [false, false, true])
            #expect(frames.map(\.body) == [first, third, lost])
            #expect(frames.allSatisfy { $0.producer == producer })
        }
    }

    @Test func aTapWhoseReceiverWentAwayIsClosedAndCountedWhileForwardingGoesOn() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let gone = try UDPPeer(group: fixture.peers)
            let port = gone.port
            gone.close()
            let call = try AudioCall(fixture, room: "gone", ssrc: 4_444)
            defer { call.close() }
            let tap = try client.createTap(room: "gone", ip: "127.0.0.1", port: port)
            var audio = call.stream
            var sent = 0
            while sent < 200, try client.listTaps(room: "gone").closedUnreachable == 0 {
                try call.publisher.send(audio.next(), toPort: call.send.port)
                sent += 1
            }
            let list = try client.listTaps(room: "gone")
            #expect(list.closedUnreachable == 1 && list.taps.isEmpty)
            #expect(try client.roomStats(room: "gone").taps == list)
            #expect(try client.metrics().contains("sfulab_taps_closed_total{reason=\"unreachable\"} 1"))
            let received = call.subscriber.inbox.wait { rtpHeaders($0, ssrc: call.consumer.ssrc).count >= sent }
            #expect(rtpHeaders(received, ssrc: call.consumer.ssrc).count == sent)
            #expect(throws: EngineClientError.self) { try client.closeTap(room: "gone", tap: tap.id) }
        }
    }

    @Test func aFullTapQueueDropsFramesAndSkipsTheirSequenceNumbers() throws {
        let channel = EmbeddedChannel()
        let tap = RoomTap(id: 0, ip: "127.0.0.1", port: 9, startedAt: 1_000_000)
        tap.channel = channel
        var stream = AudioStream(ssrc: 5, payloadType: 100)
        let packet = stream.next()
        var results: [Bool] = []
        packet.withUnsafeBytes { bytes in
            let media = AcceptedMedia(producer: ProducerID(rawValue: 3), transport: TransportID(rawValue: 1), encodingIndex: 0,
                                      isRetransmission: false, bytes: bytes)
            results.append(tap.sendMedia(media, readAt: 5_000_000))
            channel.isWritable = false
            results.append(tap.sendMedia(media, readAt: 6_000_000))
            results.append(tap.sendMedia(media, readAt: 7_000_000))
            channel.isWritable = true
            results.append(tap.sendMedia(media, readAt: 9_000_000))
        }
        tap.flush()
        #expect(results == [true, false, false, true])
        var frames: [TapFrame] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            frames.append(try TapFrame(parsing: Array(buffer.readableBytesView)))
        }
        #expect(frames.map(\.sequence) == [0, 3])
        #expect(frames.map(\.timeMicros) == [4_000, 8_000])
        #expect(frames.allSatisfy { $0.body == packet && $0.producer == 3 && $0.transport == 1 })
        #expect(tap.stats.framesSent == 2 && tap.stats.framesDropped == 2)
        _ = try channel.finish()
    }

    @Test func producerListingAndTapRouteErrors() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let send = try client.createTransport(room: "list")
            let receive = try client.createTransport(room: "list")
            let payloadType = try fixture.payloadType("video/VP8")
            let producer = try client.produce(room: "list", transport: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: payloadType,
                encodings: [ProducerEncoding(rid: "q", maxBitrate: 150_000), ProducerEncoding(rid: "f", maxBitrate: 1_000_000)], paused: true))
            let consumer = try client.consume(room: "list", transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            let listing = try client.listProducers(room: "list")
            #expect(listing.room == "list")
            let described = try #require(listing.producers.first)
            #expect(listing.producers.count == 1)
            #expect(described.id == producer && described.transport == send.id && described.kind == .video)
            #expect(described.mimeType == "video/VP8" && described.clockRate == 90_000 && described.payloadType == payloadType)
            #expect(described.encodings.map(\.rid) == ["q", "f"] && described.encodings.map(\.ssrc) == [nil, nil])
            #expect(described.encodings.map(\.maxBitrate) == [150_000, 1_000_000])
            #expect(described.paused)
            #expect(described.consumers == [.init(id: consumer.id, transport: receive.id, paused: false)])

            func status(_ call: () throws -> Void) -> Int? {
                do { try call() } catch let error as EngineClientError {
                    if case .server(let status, _, _) = error { return status }
                } catch {}
                return nil
            }
            #expect(status { _ = try client.createTap(room: "nope", ip: "127.0.0.1", port: 9) } == 404)
            #expect(status { _ = try client.listProducers(room: "nope") } == 404)
            #expect(status { _ = try client.createTap(room: "list", ip: "localhost", port: 9) } == 400)
            #expect(status { _ = try client.createTap(room: "list", ip: "127.0.0.1", port: 0) } == 400)
            #expect(status { try client.closeTap(room: "list", tap: 99) } == 404)
            let receivers = try (0..<Room.maxTaps).map { _ in try UDPPeer(group: fixture.peers) }
            defer { receivers.forEach { $0.close() } }
            for peer in receivers { _ = try client.createTap(room: "list", ip: "127.0.0.1", port: peer.port) }
            #expect(status { _ = try client.createTap(room: "list", ip: "127.0.0.1", port: 9) } == 409)
            #expect(try client.listTaps(room: "list").taps.count == Room.maxTaps)
            // Closing the room closes its taps.
            try client.closeRoom(room: "list")
            #expect(try client.metrics().contains("sfulab_taps 0"))
        }
    }

    @Test func tapRoutesMatch() throws {
        #expect(try ControlRoute.match(method: .GET, uri: "/rooms/a/producers").get() == .listProducers(room: "a"))
        #expect(try ControlRoute.match(method: .POST, uri: "/rooms/a/taps").get() == .createTap(room: "a"))
        #expect(try ControlRoute.match(method: .GET, uri: "/rooms/a/taps").get() == .listTaps(room: "a"))
        #expect(try ControlRoute.match(method: .DELETE, uri: "/rooms/a/taps/3").get() == .closeTap(room: "a", tap: 3))
        guard case .failure(let failure) = ControlRoute.match(method: .PUT, uri: "/rooms/a/taps") else {
            Issue.record("PUT /rooms/a/taps matched")
            return
        }
        #expect(failure.response.code == "methodNotAllowed")
    }
}
