import ControlAPI
import Engine
import EngineClient
import Foundation
import RTP
import Testing

/// `GET /rooms/{room}/stats` lists every engine counter (NACKs and key-frame requests both ways,
/// retransmissions, probes, padding), `GET /rooms/{room}/consumers` every consumer's layers in
/// one request, and `GET /rooms/{room}/producers` the publisher's RTT once it answers the
/// engine's RTCP XR RRTR with DLRR.
@Suite struct RoomCountersTests {
    static func rtcp(_ packets: [[UInt8]]) -> [RTCPPacket] {
        packets.filter { RTPDemux.isRTCP($0) }.flatMap { (try? RTCPPacket.parseCompound($0)) ?? [] }
    }

    @Test func statsCountFeedbackBothWaysAndProducersListTheRoundTrip() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "counters"
            let publisher = try UDPPeer(group: fixture.peers)
            let subscriber = try UDPPeer(group: fixture.peers)
            defer { publisher.close(); subscriber.close() }
            let send = try client.createTransport(room: room, comedia: false)
            try client.connectTransport(room: room, transport: send.id, ip: "127.0.0.1", port: publisher.port)
            let receive = try client.createTransport(room: room, comedia: false)
            try client.connectTransport(room: room, transport: receive.id, ip: "127.0.0.1", port: subscriber.port)
            var video = VP8KeyFrameStream(ssrc: 2_222, payloadType: try fixture.payloadType("video/VP8"))
            let producer = try client.produce(room: room, transport: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: video.payloadType, encodings: [ProducerEncoding(ssrc: video.ssrc)]))
            let consumer = try client.consume(room: room, transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            #expect(try client.listProducers(room: room).producers.first?.roundTripMilliseconds == [nil])

            // Packet 2010 never leaves the publisher: the engine NACKs it.
            for index in 0..<20 {
                let packet = video.next()
                if index != 10 { try publisher.send(packet, toPort: send.port) }
            }
            let forwarded = subscriber.inbox.wait { rtpHeaders($0, ssrc: consumer.ssrc).count >= 19 }
            let first = try #require(rtpHeaders(forwarded, ssrc: consumer.ssrc).first).sequenceNumber.rawValue
            publisher.inbox.wait { Self.rtcp($0).contains { if case .nack = $0 { true } else { false } } }

            // The subscriber asks for one packet again and for a key frame.
            let nack = RTCPGenericNACK(senderSSRC: 77, mediaSSRC: consumer.ssrc, lostSequenceNumbers: [first &+ 3])
            let pli = RTCPPictureLossIndication(senderSSRC: 77, mediaSSRC: consumer.ssrc)
            try subscriber.send(RTCPPacket.serializeCompound([.receiverReport(RTCPReceiverReport(ssrc: 77)), .nack(nack), .pli(pli)]),
                                toPort: receive.port)
            publisher.inbox.wait { Self.rtcp($0).contains { if case .pli = $0 { true } else { false } } }

            // The engine's next report to the publisher carries an RRTR; answer it with DLRR.
            let withRRTR = publisher.inbox.wait { packets in
                Self.rtcp(packets).contains { if case .extendedReport(let xr) = $0 { !xr.receiverReferenceTimes.isEmpty } else { false } }
            }
            let xr: RTCPExtendedReport? = Self.rtcp(withRRTR).compactMap { if case .extendedReport(let xr) = $0 { xr } else { nil } }.first
            let rrtr = try #require(xr?.receiverReferenceTimes.first)
            let dlrr = RTCPExtendedReport(senderSSRC: video.ssrc, blocks: [.delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(
                items: [RTCPDelaySinceLastReceiverReportItem(ssrc: try #require(xr).senderSSRC, lastReceiverReport: rrtr.compactNTPTimestamp,
                                                             delaySinceLastReceiverReport: 0)]))])
            try publisher.send(RTCPPacket.serializeCompound([.extendedReport(dlrr)]), toPort: send.port)

            func listedRoundTrip() throws -> Double? {
                try client.listProducers(room: room).producers.first?.roundTripMilliseconds?.first ?? nil
            }
            var listed = try listedRoundTrip()
            let deadline = Date(timeIntervalSinceNow: 10)
            while listed == nil, Date() < deadline { listed = try listedRoundTrip() }
            // A loopback round trip (the engine's report to the publisher and the answer back).
            let rtt = try #require(listed)
            #expect(rtt >= 0 && rtt < 1_000, "\(rtt) ms")

            let stats = try client.roomStats(room: room)
            let counters = try #require(stats.counters)
            #expect(Set(counters.keys) == Set(EngineCounters().named.map(\.name)))
            #expect(counters["nacksReceived"] == 1)
            #expect(counters["keyFrameRequestsReceived"] == 1)
            #expect(counters["nacksSent", default: 0] >= 1)
            #expect(counters["keyFrameRequestsSent", default: 0] >= 1)
            #expect(counters["retransmissionsSent"] == 1 && stats.retransmissionsSent == 1)
            #expect(counters["publisherRoundTripsMeasured"] == 1)
            #expect(counters["packetsForwarded"] == stats.packetsForwarded)
            #expect(counters["probePacketsSent"] != nil && counters["probeBytesSent"] != nil && counters["paddingPacketsReceived"] == 0)
        }
    }

    @Test func consumersAreListedWithTheirLayersInOneRequest() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "layers"
            let call = try AudioCall(fixture, room: room, ssrc: 1_234)
            defer { call.close() }
            let payloadType = try fixture.payloadType("video/VP8")
            let video = try client.produce(room: room, transport: call.send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: payloadType,
                encodings: [ProducerEncoding(ssrc: 10, maxBitrate: 150_000), ProducerEncoding(ssrc: 11, maxBitrate: 1_000_000)]))
            let simulcast = try client.consume(room: room, transport: call.receive.id, ConsumerOptions(producer: ProducerID(rawValue: video)))
            // The lower encoding arrives: the simulcast consumer forwards spatial layer 0.
            var low = VP8KeyFrameStream(ssrc: 10, payloadType: payloadType)
            for _ in 0..<5 { try call.publisher.send(low.next(), toPort: call.send.port) }
            call.subscriber.inbox.wait { rtpHeaders($0, ssrc: simulcast.ssrc).count >= 1 }

            let listing = try client.listConsumers(room: room)
            #expect(listing.room == room)
            #expect(listing.consumers.map(\.id) == [call.consumer.id, simulcast.id])
            let audio = try #require(listing.consumers.first)
            #expect(audio.kind == .audio && audio.producerId == call.consumer.producerId && audio.transport == call.receive.id)
            #expect(!audio.paused && audio.currentLayers == nil)
            let layered = try #require(listing.consumers.last)
            #expect(layered.kind == .video && layered.producerId == video && layered.transport == call.receive.id)
            #expect(layered.currentLayers?.spatialLayer == 0)
            #expect(layered.currentLayers == (try client.consumerStats(room: room, consumer: simulcast.id).currentLayers))

            try client.pauseConsumer(room: room, consumer: simulcast.id)
            #expect(try client.listConsumers(room: room).consumers.last?.paused == true)
            #expect(throws: EngineClientError.self) { _ = try client.listConsumers(room: "nope") }
        }
    }
}
