import ControlAPI
import Engine
import EngineClient
import Foundation
import Testing

/// The control API over HTTP: status codes, error bodies that name the field, server-wide routes.
@Suite struct ControlAPITests {
    /// The server error a call threw.
    func serverError(_ body: () throws -> Void) -> (status: Int, code: String, message: String)? {
        do {
            try body()
            return nil
        } catch let error as EngineClientError {
            if case .server(let status, let code, let message) = error { return (status, code, message) }
            return nil
        } catch {
            return nil
        }
    }

    func rawRequest(_ method: String, _ path: String, body: String?) -> EngineRequest<EmptyResponse> {
        EngineRequest(method: .init(rawValue: method), path: path, body: body.map { Data($0.utf8) }) { _ in EmptyResponse() }
    }

    @Test func badJSONIs400NamingTheField() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let transport = try client.createTransport(room: "bad")
            let wrongType = serverError {
                _ = try client.call(rawRequest("POST", "/rooms/bad/transports/\(transport.id)/producers",
                                               body: #"{"kind":"audio","mimeType":"audio/opus","payloadType":"x","encodings":[{"ssrc":1}]}"#))
            }
            #expect(wrongType?.status == 400)
            #expect(wrongType?.code == "badRequest")
            #expect(wrongType?.message.contains("payloadType") == true)

            let missing = serverError {
                _ = try client.call(rawRequest("POST", "/rooms/bad/transports/\(transport.id)/producers",
                                               body: #"{"kind":"audio","payloadType":100,"encodings":[]}"#))
            }
            #expect(missing?.status == 400)
            #expect(missing?.message.contains("mimeType") == true)

            let nested = serverError {
                _ = try client.call(rawRequest("POST", "/rooms/bad/transports/\(transport.id)/producers",
                                               body: #"{"kind":"audio","mimeType":"audio/opus","payloadType":100,"encodings":[{"ssrc":-1}]}"#))
            }
            #expect(nested?.message.contains("encodings[0].ssrc") == true)

            let badEnum = serverError { _ = try client.call(rawRequest("POST", "/rooms/bad/transports", body: #"{"protocol":"sctp"}"#)) }
            #expect(badEnum?.status == 400)
            #expect(badEnum?.message.contains("protocol") == true && badEnum?.message.contains("udp, tcp") == true)

            let notJSON = serverError { _ = try client.call(rawRequest("POST", "/rooms/bad/transports", body: "{protocol")) }
            #expect(notJSON?.status == 400)

            let badIP = serverError { try client.connectTransport(room: "bad", transport: transport.id, ip: "localhost", port: 5) }
            #expect(badIP?.status == 400 && badIP?.message.contains("ip") == true)

            let codec = serverError {
                _ = try client.produce(room: "bad", transport: transport.id, ProducerOptions(
                    kind: .audio, mimeType: "audio/G722", payloadType: 9, encodings: [ProducerEncoding(ssrc: 1)]))
            }
            #expect(codec?.status == 400 && codec?.message.contains("mimeType") == true)

            let badRoom = serverError { _ = try client.createTransport(room: "no spaces") }
            #expect(badRoom?.status == 400)
        }
    }

    @Test func unknownIdsAre404() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            #expect(serverError { _ = try client.roomStats(room: "nowhere") }?.status == 404)
            let transport = try client.createTransport(room: "ids")
            #expect(serverError { _ = try client.transportStats(room: "ids", transport: transport.id + 7) }?.status == 404)
            #expect(serverError { try client.pauseProducer(room: "ids", producer: 3) }?.status == 404)
            #expect(serverError { _ = try client.consumerStats(room: "ids", consumer: 0) }?.status == 404)
            #expect(serverError {
                _ = try client.consume(room: "ids", transport: transport.id, ConsumerOptions(producer: ProducerID(rawValue: 9)))
            }?.status == 404)
            #expect(serverError { _ = try client.call(rawRequest("GET", "/nothing/here", body: nil)) }?.status == 404)
            #expect(serverError { _ = try client.call(rawRequest("GET", "/rooms/ids/transports/abc/stats", body: nil)) }?.status == 404)
            try client.closeTransport(room: "ids", transport: transport.id)
            #expect(serverError { try client.closeTransport(room: "ids", transport: transport.id) }?.status == 404)
        }
    }

    @Test func wrongMethodIs405AndHugeBodyIs413() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let wrong = serverError { _ = try client.call(rawRequest("GET", "/rooms/a/transports", body: nil)) }
            #expect(wrong?.status == 405)
            #expect(wrong?.message.contains("POST") == true)
            let huge = String(repeating: " ", count: (1 << 20) + 1)
            #expect(serverError { _ = try client.call(rawRequest("POST", "/rooms/a/transports", body: huge)) }?.status == 413)
            // The client reconnects after the server closed that connection.
            let health = try client.health()
            #expect(health.status == "ok")
        }
    }

    @Test func webrtcTransportsConnectOnceAndPlainConnectTwiceConflicts() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let webrtc = try client.createTransport(room: "w", type: .webrtc)
            let dtls = DTLSParameters(role: "client", fingerprints: [DTLSFingerprintParameter(
                algorithm: "sha-256", value: Array(repeating: "AB", count: 32).joined(separator: ":"))])
            try client.connectTransport(room: "w", transport: webrtc.id, dtlsParameters: dtls)
            #expect(serverError { try client.connectTransport(room: "w", transport: webrtc.id, dtlsParameters: dtls) }?.status == 409)
            let badRole = DTLSParameters(role: "sideways", fingerprints: dtls.fingerprints)
            let other = try client.createTransport(room: "w", type: .webrtc)
            #expect(serverError { try client.connectTransport(room: "w", transport: other.id, dtlsParameters: badRole) }?.status == 400)
            let transport = try client.createTransport(room: "w", comedia: false)
            try client.connectTransport(room: "w", transport: transport.id, ip: "127.0.0.1", port: 9_999)
            let again = serverError { try client.connectTransport(room: "w", transport: transport.id, ip: "127.0.0.1", port: 9_998) }
            #expect(again?.status == 409)
        }
    }

    @Test func healthCapabilitiesAndMetrics() throws {
        try ServerFixture.run(workers: 2) { fixture in
            let client = fixture.client
            var health = try client.health()
            #expect(health.status == "ok" && health.apiVersion == ControlAPI.version && health.workers == 2 && health.rooms == 0)
            let capabilities = try client.capabilities()
            #expect(capabilities.codecs.contains { $0.mimeType == "video/VP8" })
            #expect(capabilities.headerExtensions["transportWideCc"] != nil)

            let publisher = try UDPPeer(group: fixture.peers)
            defer { publisher.close() }
            let transport = try client.createTransport(room: "m")
            try publisher.send([0x01, 0x02, 0x03], toPort: transport.port)
            health = try client.health()
            #expect(health.rooms == 1)
            // The garbage datagram reaches the engine (counted) before the metrics show it.
            var stats = try client.roomStats(room: "m")
            let deadline = Date(timeIntervalSinceNow: 10)
            while stats.datagramsReceived == 0, Date() < deadline { stats = try client.roomStats(room: "m") }
            #expect(stats.datagramsReceived == 1)
            let text = try client.metrics()
            #expect(text.contains("sfulab_datagrams_received_total 1"))
            #expect(text.contains("sfulab_packets_forwarded_total 0"))
            #expect(text.contains(#"sfulab_drops_total{reason="notRTPOrRTCP"} 1"#))
            #expect(text.contains("sfulab_rooms 1"))
            #expect(text.contains("sfulab_transports 1"))
            #expect(text.contains("sfulab_engine_latency_seconds_bucket"))
            #expect(text.contains("# TYPE sfulab_retransmissions_sent_total counter"))
        }
    }

    @Test func roomsSpreadOverWorkersRoundRobin() throws {
        try ServerFixture.run(workers: 2) { fixture in
            let workers = try ["r0", "r1", "r2", "r3"].map { try fixture.client.createTransport(room: $0).worker }
            #expect(workers == [0, 1, 0, 1])
            #expect(try fixture.client.roomStats(room: "r1").worker == 1)
            #expect(try fixture.client.createTransport(room: "r1").worker == 1)
            try fixture.client.closeRoom(room: "r1")
            #expect(serverError { _ = try fixture.client.roomStats(room: "r1") }?.status == 404)
            #expect(try fixture.client.health().rooms == 3)
        }
    }

    @Test func consumerPauseResumeAndLayersOverTheAPI() throws {
        try ServerFixture.run { fixture in
            let client = fixture.client
            let send = try client.createTransport(room: "c")
            let receive = try client.createTransport(room: "c")
            let producer = try client.produce(room: "c", transport: send.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: try fixture.payloadType("video/VP8"), encodings: [ProducerEncoding(ssrc: 7)]))
            let consumer = try client.consume(room: "c", transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            #expect(consumer.type == .simple && consumer.kind == .video && consumer.producerId == producer)
            #expect(try client.consumerStats(room: "c", consumer: consumer.id).paused == false)
            try client.pauseConsumer(room: "c", consumer: consumer.id)
            #expect(try client.consumerStats(room: "c", consumer: consumer.id).paused == true)
            try client.resumeConsumer(room: "c", consumer: consumer.id)
            #expect(try client.consumerStats(room: "c", consumer: consumer.id).paused == false)
            try client.setPriority(room: "c", consumer: consumer.id, 5)
            #expect(serverError { try client.setPriority(room: "c", consumer: consumer.id, 0) }?.status == 400)
            try client.setPreferredLayers(room: "c", consumer: consumer.id, ConsumerLayers(spatialLayer: 0, temporalLayer: 0))
            try client.requestKeyFrame(room: "c", consumer: consumer.id)
            try client.pauseProducer(room: "c", producer: producer)
            try client.resumeProducer(room: "c", producer: producer)
            try client.closeConsumer(room: "c", consumer: consumer.id)
            try client.closeProducer(room: "c", producer: producer)
            let stats = try client.roomStats(room: "c")
            #expect(stats.producers == 0 && stats.consumers == 0 && stats.transports == 2)
        }
    }
}
