import ControlAPI
import Engine
import EngineClient
import Foundation
import Testing

/// Interop with an independent WebRTC implementation: aiortc (Python) publishes VP8 + Opus to
/// a real `sfulab serve` over a webrtc UDP transport (full ICE against our ICE-lite, DTLS 1.2,
/// SRTP), and a second aiortc peer subscribes through our consumers and decodes the frames.
/// Skipped when the venv is missing (`scripts/install-deps.sh --with-test-tools` creates it).
/// docs/interop.md.
@Suite(.enabled(if: AiortcPeer.isInstalled, "no aiortc venv at .build/aiortc-venv: run scripts/install-deps.sh --with-test-tools"),
       .serialized)
struct AiortcInteropTests {
    /// Seconds every stage of a peer may take (ICE + DTLS, publishing, decoding).
    static let stageTimeout: TimeInterval = 30

    /// Every SRTP protection profile aiortc 1.16 offers, each as the server's only choice.
    @Test(arguments: ["AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"])
    func aiortcPublishesVP8AndOpusAndASecondAiortcPeerDecodesThem(suite: String) throws {
        try session(suite: suite, dropEvery: 0)
    }

    /// Every 10th video packet lost once on the uplink (dropped by the publishing aiortc before
    /// sending) and once on the downlink (dropped by the subscribing aiortc on arrival): the
    /// server NACKs aiortc, takes its RTX, answers aiortc's NACKs with RTX, and frames decode.
    @Test func lossOnBothLegsIsRepairedWithNackAndRtx() throws {
        try session(suite: "AEAD_AES_256_GCM", dropEvery: 10)
    }

    /// One publisher and one subscriber through a fresh `sfulab serve` whose only SRTP suite is
    /// `suite`; `dropEvery` > 0 makes both peers drop video packets once (NACK/RTX exercised).
    private func session(suite: String, dropEvery: Int) throws {
        let profile = try Self.baselineProfile(onlySuite: suite)
        defer { try? FileManager.default.removeItem(at: profile) }
        let server = try ServerProcess.launch(executable: ServeProcessTests.sfulabPath(), arguments: [
            "--profile", profile.path, "--seed", "7", "--log-level", "error",
        ])
        defer { if server.isRunning { server.terminate() } }
        let client = server.client
        let room = "aiortc"
        let capabilities = try client.capabilities()
        let vp8 = try #require(capabilities.codecs.first { $0.mimeType == "video/VP8" })
        let opus = try #require(capabilities.codecs.first { $0.mimeType == "audio/opus" })
        let extensions = capabilities.headerExtensions.filter { ["absSendTime", "audioLevel"].contains($0.key) }

        // The publisher takes the DTLS client role (the server answers as DTLS server) ...
        let publisher = try AiortcPeer()
        defer { publisher.close() }
        let (publisherTransport, publisherParameters, publisherSetup) = try connect(publisher, mode: "publish", dtlsRole: "client",
                                                                                     room: room, client: client)
        let senders = try #require(publisherParameters["senders"] as? [[String: Any]])
        let video = try #require(senders.first { $0["kind"] as? String == "video" })
        let audio = try #require(senders.first { $0["kind"] as? String == "audio" })
        let videoSSRC = try #require((video["ssrc"] as? NSNumber)?.uint32Value)
        let videoRTXSSRC = try #require((video["rtxSsrc"] as? NSNumber)?.uint32Value)
        let audioSSRC = try #require((audio["ssrc"] as? NSNumber)?.uint32Value)
        let videoProducer = try client.produce(room: room, transport: publisherTransport.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType,
            encodings: [ProducerEncoding(ssrc: videoSSRC, rtxSSRC: videoRTXSSRC)]))
        let audioProducer = try client.produce(room: room, transport: publisherTransport.id, ProducerOptions(
            kind: .audio, mimeType: "audio/opus", payloadType: opus.payloadType, encodings: [ProducerEncoding(ssrc: audioSSRC)]))
        try publisher.send(["command": "publish", "seconds": Self.stageTimeout, "dropEvery": dropEvery, "headerExtensions": extensions,
                            "video": ["payloadType": vp8.payloadType, "rtxPayloadType": vp8.rtxPayloadType],
                            "audio": ["payloadType": opus.payloadType]])

        // ... the subscriber the DTLS server role (the server is DTLS client).
        let subscriber = try AiortcPeer()
        defer { subscriber.close() }
        let (subscriberTransport, _, subscriberSetup) = try connect(subscriber, mode: "subscribe", dtlsRole: "server",
                                                                     room: room, client: client)
        let consumers = try [videoProducer, audioProducer].map {
            try client.consume(room: room, transport: subscriberTransport.id, ConsumerOptions(producer: ProducerID(rawValue: $0)))
        }
        let wantedVideoFrames = 60, wantedAudioFrames = 100
        try subscriber.send(encoded: consumers, as: "consumers", in: [
            "command": "subscribe", "videoFrames": wantedVideoFrames, "audioFrames": wantedAudioFrames,
            "seconds": 20, "headerExtensions": extensions, "dropEvery": dropEvery,
        ])
        let received = try subscriber.receive("subscribe result", timeout: Self.stageTimeout)
        let decodedVideo = (received["video"] as? [String: Any])?["frames"] as? Int ?? 0
        let decodedAudio = (received["audio"] as? [String: Any])?["frames"] as? Int ?? 0
        #expect(received["ok"] as? Bool == true, "subscriber: \(received); stderr: \(subscriber.standardError.suffix(1_500))")
        #expect(decodedVideo >= wantedVideoFrames)
        #expect(decodedAudio >= wantedAudioFrames)
        #expect((received["video"] as? [String: Any])?["width"] as? Int == 320)

        // The server's view while the publisher still sends.
        let producers = try client.listProducers(room: room).producers
        let videoDescription = try #require(producers.first { $0.id == videoProducer })
        let audioDescription = try #require(producers.first { $0.id == audioProducer })
        #expect(videoDescription.scores?.first ?? 0 > 0, "video producer score: \(String(describing: videoDescription.scores))")
        #expect(audioDescription.scores?.first ?? 0 > 0, "audio producer score: \(String(describing: audioDescription.scores))")
        let publisherStats = try #require(try client.transportStats(room: room, transport: publisherTransport.id).webRtc)
        #expect(publisherStats.iceState == "completed")
        #expect(publisherStats.dtlsState == "connected")
        #expect(publisherStats.dtlsRole == "server")
        #expect(publisherStats.srtpCryptoSuite == suite)
        #expect(publisherStats.iceSelectedTuple?.remoteIp == "127.0.0.1")
        #expect(publisherStats.mediaReceived > wantedVideoFrames)
        #expect(publisherStats.drops.isEmpty, "nothing aiortc sent was dropped: \(publisherStats.drops)")
        let roomStats = try client.roomStats(room: room)
        #expect(roomStats.packetsForwarded > 0)
        #expect(roomStats.counters?["keyFrameRequestsSent"] ?? 0 >= 1)
        let counters = roomStats.counters ?? [:]
        let rtxReceivedBySubscriber = (received["video"] as? [String: Any])?["rtxReceived"] as? Int ?? 0
        if dropEvery > 0 {
            #expect(counters["nacksSent"] ?? 0 >= 1, "the server NACKs aiortc's uplink losses: \(counters)")
            #expect(counters["rtxPacketsReceived"] ?? 0 >= 1, "aiortc answers with RTX: \(counters)")
            #expect(counters["nacksReceived"] ?? 0 >= 1, "aiortc NACKs its downlink losses: \(counters)")
            #expect(counters["retransmissionsSent"] ?? 0 >= 1, "the server retransmits: \(counters)")
            #expect(rtxReceivedBySubscriber >= 1)
        }

        try publisher.send(["command": "stop"])
        let published = try publisher.receive("publish result", timeout: Self.stageTimeout)
        #expect(published["ok"] as? Bool == true, "publisher: \(published); stderr: \(publisher.standardError.suffix(1_500))")
        let videoSent = (published["video"] as? [String: Any])?["packetsSent"] as? Int ?? 0
        let keyFrameRequests = (published["video"] as? [String: Any])?["keyFrameRequests"] as? Int ?? 0
        #expect(videoSent > 0)
        #expect(keyFrameRequests >= 1, "the consumer's key frame request reached aiortc as PLI/FIR")
        let nackedPackets = (published["video"] as? [String: Any])?["nackedPackets"] as? Int ?? 0
        if dropEvery > 0 { #expect(nackedPackets >= 1) }
        #expect(publisher.waitForExit(timeout: 10) == 0)
        #expect(subscriber.waitForExit(timeout: 10) == 0)
        // Both peers stopped their DTLS transports before exiting: the server saw close_notify.
        for (transport, role) in [(publisherTransport, "server"), (subscriberTransport, "client")] {
            let stats = try waitForDtlsClosed(room: room, transport: transport.id, client: client)
            #expect(stats.dtlsState == "closed")
            #expect(stats.dtlsRole == role)
            #expect(stats.iceState == "completed")
            #expect(stats.srtpCryptoSuite == suite)
        }
        print("aiortc interop: publisher setup \(publisherSetup) s, subscriber setup \(subscriberSetup) s, "
              + "decoded \(decodedVideo) video / \(decodedAudio) audio frames, first video frame after "
              + "\(((received["video"] as? [String: Any])?["firstFrameSeconds"]).map { "\($0)" } ?? "-") s, "
              + "publisher sent \(videoSent) video packets, got \(keyFrameRequests) key frame requests, suite \(suite); "
              + "dropEvery \(dropEvery): server NACKed \(nackedPackets) packets, subscriber got \(rtxReceivedBySubscriber) RTX, "
              + "nacksSent \(counters["nacksSent"] ?? 0), rtxPacketsReceived \(counters["rtxPacketsReceived"] ?? 0), "
              + "nacksReceived \(counters["nacksReceived"] ?? 0), retransmissionsSent \(counters["retransmissionsSent"] ?? 0)")
        #expect(server.terminate() == 0)
    }

    /// Profiles/baseline.yaml with `suite` as the only SRTP crypto suite, in a temporary file.
    static func baselineProfile(onlySuite suite: String) throws -> URL {
        let baseline = try String(contentsOfFile: ServeProcessTests.baselineProfile, encoding: .utf8)
        let lines = baseline.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.trimmingCharacters(in: .whitespaces).hasPrefix("srtpCryptoSuites:") ? "  srtpCryptoSuites: [\(suite)]" : String(line)
        }
        #expect(lines.contains("  srtpCryptoSuites: [\(suite)]"), "Profiles/baseline.yaml has no srtpCryptoSuites line")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sfulab-aiortc-\(suite)-\(getpid()).yaml")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The transport's webrtc stats once DTLS is closed, or as they are after 10 s.
    private func waitForDtlsClosed(room: String, transport: Int, client: EngineClient) throws -> WebRTCTransportStats {
        let deadline = Date(timeIntervalSinceNow: 10)
        var stats = try #require(try client.transportStats(room: room, transport: transport).webRtc)
        while stats.dtlsState != "closed", Date() < deadline {
            stats = try #require(try client.transportStats(room: room, transport: transport).webRtc)
        }
        return stats
    }

    /// Creates a webrtc UDP transport, starts `peer` on it, connects the transport with the
    /// peer's DTLS parameters and waits for ICE + DTLS: the transport, the peer's parameters
    /// line and its set-up time in seconds.
    private func connect(_ peer: AiortcPeer, mode: String, dtlsRole: String, room: String,
                         client: EngineClient) throws -> (TransportInfo, [String: Any], Double) {
        let transport = try client.createTransport(room: room, type: .webrtc, protocol: .udp)
        try peer.send(encoded: transport, as: "transport", in: ["mode": mode, "dtlsRole": dtlsRole, "timeoutSeconds": 90])
        let parameters = try peer.receive("parameters", timeout: Self.stageTimeout)
        let dtls = try #require(parameters["dtlsParameters"] as? [String: Any])
        let fingerprints = try #require(dtls["fingerprints"] as? [[String: String]]).compactMap { entry in
            entry["algorithm"].flatMap { algorithm in entry["value"].map { DTLSFingerprintParameter(algorithm: algorithm, value: $0) } }
        }
        try client.connectTransport(room: room, transport: transport.id,
                                    dtlsParameters: DTLSParameters(role: dtlsRole, fingerprints: fingerprints))
        try peer.send(["command": "start"])
        let connected = try peer.receive("connected", timeout: Self.stageTimeout)
        #expect(connected["event"] as? String == "connected", "\(mode): \(connected); stderr: \(peer.standardError.suffix(1_500))")
        return (transport, parameters, connected["setupSeconds"] as? Double ?? -1)
    }
}
