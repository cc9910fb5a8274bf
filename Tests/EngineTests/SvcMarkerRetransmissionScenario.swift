import Engine
import RTP
import Testing

/// The marker the engine writes on an SVC consumer's packet (end of the highest forwarded spatial
/// layer) is written again when the packet is retransmitted over RTX.
@Suite struct SvcMarkerRetransmissionScenario {
    @Test func retransmissionsCarryTheRewrittenMarker() throws {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        let bench = EngineBench(profile: profile)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP9", payloadType: 103,
            encodings: [ProducerEncoding(ssrc: 9_000, scalabilityMode: "L3T3_KEY")]))
        // Spatial layer 1 only: the publisher's marker (on spatial layer 2) never reaches the subscriber.
        let (_, parameters) = try bench.engine.consume(
            on: receive.id, ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 1, temporalLayer: 2)))
        let rtxSSRC = try #require(parameters.rtxSSRC)
        var stream = SyntheticVP9Stream(ssrc: 9_000)
        var timestamp: UInt32 = 0
        for _ in 0..<30 {
            for packet in stream.nextPicture(timestamp: timestamp) { bench.send(packet, from: publisher, to: send.local) }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        let forwarded = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).suffix(24)
        #expect(forwarded.contains { $0.marker } && forwarded.contains { !$0.marker })
        let markers = Dictionary(uniqueKeysWithValues: forwarded.map { ($0.sequenceNumber.rawValue, $0.marker) })
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: parameters.ssrc, lostSequenceNumbers: forwarded.map(\.sequenceNumber.rawValue))
        bench.send(RTCPPacket.serializeCompound([.nack(nack)]), from: subscriber, to: receive.local)
        bench.run(until: bench.now + .milliseconds(100))

        let rtxPayloadType = try #require(parameters.rtxPayloadType)
        let resent = try (bench.inbox[subscriber] ?? []).compactMap { bytes -> RTPHeader? in
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == rtxSSRC else { return nil }
            #expect(header.payloadType == rtxPayloadType)
            return try RTPHeader(parsing: RTX.unwrap(bytes, originalSSRC: parameters.ssrc, originalPayloadType: parameters.payloadType))
        }
        #expect(resent.count == forwarded.count)
        for header in resent {
            #expect(markers[header.sequenceNumber.rawValue] == header.marker, "sequence \(header.sequenceNumber.rawValue)")
        }
    }
}
