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

    /// The profile's `webRtcTransport.srtpBackend` on the server, the other library in the
    /// participants: the same bytes on the wire, so media flows both ways through the room.
    @Test(arguments: [(SRTPBackendName.openssl, SRTPBackend.libsrtp2), (.libsrtp2, .openssl)],
          [SRTPCryptoSuite.aeadAES128GCM, .aesCM128HMACSHA1_80])
    func serverAndParticipantsOnDifferentSrtpBackendsForwardMedia(backends: (SRTPBackendName, SRTPBackend),
                                                                   suite: SRTPCryptoSuite) throws {
        let (serverBackend, clientBackend) = backends
        var profile = Profile()
        profile.webRtcTransport.srtpBackend = serverBackend
        profile.webRtcTransport.srtpCryptoSuites = [suite]
        try ServerFixture.run(profile: profile) { fixture in
            let client = fixture.client
            let room = "webrtc-\(serverBackend.rawValue)-\(suite.rawValue)"
            let alice = try WebRTCPeer(fixture, room: room, protocol: .udp, seed: 1, srtpBackend: clientBackend)
            let bob = try WebRTCPeer(fixture, room: room, protocol: .udp, seed: 2, srtpBackend: clientBackend)
            defer { alice.close(); bob.close() }
            #expect(try alice.connect() == .connected)
            #expect(try bob.connect() == .connected)
            #expect(alice.security.srtpBackend == clientBackend)

            let payloadType = try fixture.payloadType("audio/opus")
            var fromAlice = AudioStream(ssrc: 7_001, payloadType: payloadType)
            var fromBob = AudioStream(ssrc: 7_002, payloadType: payloadType)
            let aliceProducer = try client.produce(room: room, transport: alice.info.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: payloadType, encodings: [ProducerEncoding(ssrc: fromAlice.ssrc)]))
            let bobProducer = try client.produce(room: room, transport: bob.info.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: payloadType, encodings: [ProducerEncoding(ssrc: fromBob.ssrc)]))
            let toBob = try client.consume(room: room, transport: bob.info.id, ConsumerOptions(producer: ProducerID(rawValue: aliceProducer)))
            let toAlice = try client.consume(room: room, transport: alice.info.id, ConsumerOptions(producer: ProducerID(rawValue: bobProducer)))

            let count = 25
            for _ in 0..<count {
                #expect(try alice.send(rtp: fromAlice.next()))
                #expect(try bob.send(rtp: fromBob.next()))
            }
            let atBob = rtpHeaders(try bob.waitForMedia { rtpHeaders($0, ssrc: toBob.ssrc).count >= count }, ssrc: toBob.ssrc)
            let atAlice = rtpHeaders(try alice.waitForMedia { rtpHeaders($0, ssrc: toAlice.ssrc).count >= count }, ssrc: toAlice.ssrc)
            #expect(atBob.count == count && isContinuous(atBob))
            #expect(atAlice.count == count && isContinuous(atAlice))
            #expect(alice.security.counters.totalDropped == 0 && bob.security.counters.totalDropped == 0)

            let stats = try #require(try client.transportStats(room: room, transport: alice.info.id).webRtc)
            #expect(stats.srtpCryptoSuite == suite.rawValue)
            #expect(stats.srtpBackend == serverBackend.rawValue)
            #expect(stats.srtpLibrary == SRTPBackend(serverBackend).libraryVersion)
            #expect(stats.srtpLibrary.lowercased().hasPrefix(serverBackend == .openssl ? "openssl" : "libsrtp"))
            for reason in ["authenticationFailed", "replayed", "malformedMedia", "protectFailed"] {
                #expect(stats.drops[reason] == nil, "no packet of either library was refused by the other: \(stats.drops)")
            }
            #expect(stats.mediaReceived >= count && stats.mediaSent >= count)
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

    /// ICE consent (RFC 7675) runs on the room's timer: a peer that stops refreshing consent is
    /// disconnected once `iceConsentTimeout` has passed since its last check.
    @Test func consentExpiresWhenThePeerFallsSilent() throws {
        var profile = Profile()
        profile.webRtcTransport.iceConsentTimeout = 1
        try ServerFixture.run(profile: profile) { fixture in
            let client = fixture.client
            let room = "webrtc-consent"
            let peer = try WebRTCPeer(fixture, room: room, protocol: .udp)
            defer { peer.close() }
            #expect(try peer.connect() == .connected)
            let connected = try #require(try client.transportStats(room: room, transport: peer.info.id).webRtc)
            #expect(connected.iceState == "completed")
            #expect(connected.iceSelectedTuple != nil)
            var stats = connected
            let deadline = Date(timeIntervalSinceNow: 10)
            while stats.iceState != "disconnected", Date() < deadline {
                peer.stayQuiet(for: 0.05)
                stats = try #require(try client.transportStats(room: room, transport: peer.info.id).webRtc)
            }
            #expect(stats.iceState == "disconnected")
            #expect(stats.iceSelectedTuple == nil)
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
