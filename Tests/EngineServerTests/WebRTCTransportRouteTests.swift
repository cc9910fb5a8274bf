import ControlAPI
import DTLSSRTP
import Engine
import EngineClient
import Foundation
import RTP
import Testing

/// Webrtc transports on real sockets: ICE-lite answers, a DTLS handshake with the client's
/// certificate checked against the signalled fingerprint, SRTP both ways.
@Suite struct WebRTCTransportRouteTests {
    @Test(arguments: [TransportProtocol.udp, .tcp])
    func srtpPublisherReachesAnSrtpSubscriber(transport: TransportProtocol) throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "webrtc-\(transport.rawValue)"
            let publisher = try WebRTCPeer(fixture, room: room, protocol: transport, seed: 1)
            let subscriber = try WebRTCPeer(fixture, room: room, protocol: transport, seed: 2)
            defer { publisher.close(); subscriber.close() }
            #expect(publisher.info.type == .webrtc)
            #expect(publisher.info.iceParameters?.iceLite == true)
            #expect(publisher.info.dtlsParameters?.role == "auto")
            #expect(publisher.info.iceCandidates?.first?.tcpType == (transport == .tcp ? "passive" : nil))
            #expect(publisher.info.iceCandidates?.first?.type == "host")

            #expect(try publisher.connect() == .connected)
            #expect(try subscriber.connect() == .connected)
            #expect(publisher.security.setupTime != nil)

            var audio = AudioStream(ssrc: 4_444, payloadType: try fixture.payloadType("audio/opus"))
            let producer = try client.produce(room: room, transport: publisher.info.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: audio.payloadType, encodings: [ProducerEncoding(ssrc: audio.ssrc)]))
            let consumer = try client.consume(room: room, transport: subscriber.info.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))

            let count = 30
            for _ in 0..<count { #expect(try publisher.send(rtp: audio.next())) }
            let received = try subscriber.waitForMedia { rtpHeaders($0, ssrc: consumer.ssrc).count >= count }
            let headers = rtpHeaders(received, ssrc: consumer.ssrc)
            #expect(headers.count == count)
            #expect(isContinuous(headers))

            let stats = try #require(try client.transportStats(room: room, transport: publisher.info.id).webRtc)
            #expect(stats.iceState == "completed")
            #expect(stats.dtlsState == "connected")
            #expect(stats.dtlsRole == "server")
            #expect(stats.srtpCryptoSuite == "AEAD_AES_256_GCM")
            #expect(stats.iceSelectedTuple?.remotePort == publisher.security.tuple.local.port)
            #expect(stats.mediaReceived >= count)
            let subscriberStats = try #require(try client.transportStats(room: room, transport: subscriber.info.id).webRtc)
            #expect(subscriberStats.mediaSent >= count)
            let roomStats = try client.roomStats(room: room)
            #expect(roomStats.engineLatency.map(\.stage) == ["receive", "decrypt", "route", "encrypt", "send", "total"])
        }
    }

    @Test func wrongFingerprintFailsTheHandshakeAndNothingIsForwarded() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "webrtc-fingerprint"
            let stranger = try DTLSCertificate.generate(commonName: "stranger").fingerprint
            let publisher = try WebRTCPeer(fixture, room: room, protocol: .udp,
                                           signalledFingerprint: DTLSFingerprintParameter(algorithm: "sha-256", value: stranger.value))
            let subscriber = try WebRTCPeer(fixture, room: room, protocol: .udp, seed: 2)
            defer { publisher.close(); subscriber.close() }
            #expect(try publisher.connect() == .failed)
            #expect(try subscriber.connect() == .connected)
            var audio = AudioStream(ssrc: 5_555, payloadType: try fixture.payloadType("audio/opus"))
            let producer = try client.produce(room: room, transport: publisher.info.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: audio.payloadType, encodings: [ProducerEncoding(ssrc: audio.ssrc)]))
            _ = try client.consume(room: room, transport: subscriber.info.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            // Without keys the client cannot protect; plaintext RTP is refused by the server.
            #expect(try publisher.send(rtp: audio.next()) == false)
            for _ in 0..<10 { try publisher.sendRaw(audio.next()) }
            let stats = try #require(try client.transportStats(room: room, transport: publisher.info.id).webRtc)
            let deadline = Date(timeIntervalSinceNow: 10)
            var drops = stats.drops["mediaBeforeKeys"] ?? 0
            while drops < 10, Date() < deadline {
                drops = try client.transportStats(room: room, transport: publisher.info.id).webRtc?.drops["mediaBeforeKeys"] ?? 0
            }
            #expect(drops == 10)
            #expect(stats.dtlsState == "failed")
            #expect(stats.dtlsFailure?.contains("fingerprint") == true)
            #expect(try client.roomStats(room: room).packetsForwarded == 0)
        }
    }

    @Test func garbageDatagramsAreCountedAndDropped() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "webrtc-garbage"
            let peer = try WebRTCPeer(fixture, room: room, protocol: .udp)
            defer { peer.close() }
            #expect(try peer.connect() == .connected)
            let garbage: [[UInt8]] = [[0xFF, 1, 2, 3], [100, 0, 0], [0x10] + Array(repeating: 7, count: 40), [70, 1]]
            for _ in 0..<5 { for bytes in garbage { try peer.sendRaw(bytes) } }
            // SRTP-looking bytes with a bad tag, and a STUN header with a bad length.
            for _ in 0..<5 { try peer.sendRaw([0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9] + Array(repeating: 0, count: 40)) }
            try peer.sendRaw([0, 1, 0, 8, 0x21, 0x12, 0xA4, 0x42] + Array(repeating: 0, count: 12))
            let deadline = Date(timeIntervalSinceNow: 10)
            var stats = try #require(try client.transportStats(room: room, transport: peer.info.id).webRtc)
            while (stats.drops["unknownKind"] ?? 0) < 20 || (stats.drops["authenticationFailed"] ?? 0) < 5 || (stats.drops["ice.malformed"] ?? 0) < 1,
                  Date() < deadline {
                stats = try #require(try client.transportStats(room: room, transport: peer.info.id).webRtc)
            }
            #expect(stats.drops["unknownKind"] == 20)
            #expect(stats.drops["authenticationFailed"] == 5)
            #expect(stats.drops["ice.malformed"] == 1)
            #expect(stats.dtlsState == "connected")
        }
    }

    @Test func connectNeedsDtlsParameters() throws {
        try ServerFixture.run { fixture in
            let info = try fixture.client.createTransport(room: "webrtc-connect", type: .webrtc)
            #expect(throws: EngineClientError.self) {
                try fixture.client.connectTransport(room: "webrtc-connect", transport: info.id, ip: "127.0.0.1", port: 5_000)
            }
            #expect(throws: EngineClientError.self) {
                try fixture.client.connectTransport(room: "webrtc-connect", transport: info.id,
                                                    dtlsParameters: DTLSParameters(role: "sideways", fingerprints: []))
            }
        }
    }
}
