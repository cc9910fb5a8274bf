import DTLSSRTP
import Engine
import Testing

@Suite struct DTLSEndpointTests {
    @Test(arguments: SRTPProfile.allCases)
    func handshakeAgreesOnProfileAndKeys(profile: SRTPProfile) throws {
        let pair = try DTLSPair(clientProfiles: [profile], serverProfiles: [profile])
        pair.run()
        guard case .connected(let clientProfile, let clientKeys)? = pair.clientEvents.first,
              case .connected(let serverProfile, let serverKeys)? = pair.serverEvents.first else {
            Issue.record("not connected: client \(pair.clientEvents), server \(pair.serverEvents)")
            return
        }
        #expect(clientProfile == profile && serverProfile == profile)
        #expect(clientKeys.localRole == .client && serverKeys.localRole == .server)
        #expect(clientKeys.clientKeyAndSalt == serverKeys.clientKeyAndSalt)
        #expect(clientKeys.serverKeyAndSalt == serverKeys.serverKeyAndSalt)
        #expect(clientKeys.clientKeyAndSalt != clientKeys.serverKeyAndSalt)
        #expect(clientKeys.localKeyAndSalt.count == profile.masterKeyLength + profile.masterSaltLength)
        #expect(pair.client.state == .connected && pair.server.state == .connected)
        #expect(pair.client.remoteFingerprint == (try TestCertificates.second()).fingerprint)
        #expect(pair.server.remoteFingerprint == (try DTLSCertificate.shared()).fingerprint)
    }

    @Test func datagramsStayWithinTheMTUAndAreWholeRecords() throws {
        let pair = try DTLSPair()
        pair.client.start(now: pair.now)
        pair.server.start(now: pair.now)
        var sizes: [Int] = []
        for _ in 0..<20 {
            var moved = false
            while let datagram = pair.client.pollTransmit() { moved = true; sizes.append(datagram.count); pair.server.handle(datagram: datagram, now: pair.now) }
            while let datagram = pair.server.pollTransmit() { moved = true; sizes.append(datagram.count); pair.client.handle(datagram: datagram, now: pair.now) }
            if !moved { break }
        }
        pair.drainEvents()
        #expect(pair.client.state == .connected)
        #expect(sizes.count >= 4, "a DTLS 1.2 handshake takes several datagrams")
        #expect(sizes.allSatisfy { $0 <= 1200 })
        // Every datagram passed the framing check on the receiving side.
        #expect(pair.client.counters.malformedDatagrams == 0 && pair.server.counters.malformedDatagrams == 0)
    }

    @Test func serverPreferenceOrderWins() throws {
        let pair = try DTLSPair(clientProfiles: [.aesCM128HMACSHA1_80, .aeadAES128GCM, .aeadAES256GCM],
                                serverProfiles: [.aeadAES128GCM, .aesCM128HMACSHA1_80])
        pair.run()
        #expect(pair.client.keys?.profile == .aeadAES128GCM)
        #expect(pair.server.keys?.profile == .aeadAES128GCM)
    }

    @Test func noCommonProfileFails() throws {
        let pair = try DTLSPair(clientProfiles: [.aesCM128HMACSHA1_32], serverProfiles: [.aeadAES256GCM])
        pair.run()
        #expect(pair.client.state == .failed || pair.server.state == .failed)
        let events = pair.clientEvents + pair.serverEvents
        #expect(!events.contains { if case .connected = $0 { true } else { false } })
    }

    @Test func fingerprintMismatchFailsAndIsCounted() throws {
        let stranger = try DTLSFingerprint(algorithm: "sha-256", value: Array(repeating: "AB", count: 32).joined(separator: ":"))
        let pair = try DTLSPair(clientExpects: stranger)
        pair.run()
        #expect(pair.client.state == .failed)
        #expect(pair.client.counters.fingerprintMismatches == 1)
        guard case .failed(.fingerprintMismatch(let expected, let received))? = pair.clientEvents.first else {
            Issue.record("expected a fingerprint mismatch, got \(pair.clientEvents)")
            return
        }
        #expect(expected == stranger)
        #expect(received == (try TestCertificates.second()).fingerprint)
        // The client's alert fails the server too; neither ever connects.
        #expect(pair.server.state != .connected)
        #expect(pair.client.keys == nil)
    }

    @Test func serverChecksTheClientCertificateToo() throws {
        let stranger = try TestCertificates.second().fingerprint  // the server expects its own, not the client's
        let pair = try DTLSPair(serverExpects: stranger)
        pair.run()
        #expect(pair.server.state == .failed)
        #expect(pair.server.counters.fingerprintMismatches == 1)
        #expect(pair.client.state != .connected)
    }

    @Test func lostFlightLeavesADeadlineFromTheConfiguredTimer() throws {
        // OpenSSL times retransmissions on its own clock, so the test checks the deadline it
        // reports and that nothing fires before it; it never waits for the timer.
        let pair = try DTLSPair(initialRetransmissionTimeout: .milliseconds(50))
        pair.client.start(now: pair.now)
        pair.server.start(now: pair.now)
        #expect(pair.server.nextDeadline(now: pair.now) == nil, "an idle server has no timer")
        // Lose the ClientHello.
        var lost = 0
        while pair.client.pollTransmit() != nil { lost += 1 }
        #expect(lost == 1)
        let deadline = try #require(pair.client.nextDeadline(now: pair.now), "a client waiting for the ServerHello has a timer")
        let wait = deadline.nanoseconds - pair.now.nanoseconds
        #expect(wait > 0 && wait <= 50_000_000, "the timer callback set the first timeout to 50 ms, got \(wait) ns")
        pair.client.handleTimeout(now: pair.now)
        #expect(pair.client.counters.retransmissionTimeouts == 0)
        #expect(pair.client.pollTransmit() == nil)
        #expect(pair.client.state == .connecting)
    }

    @Test func tooShortATimerIsRejected() throws {
        let certificate = try DTLSCertificate.shared()
        for timeout: Duration in [.microseconds(10), .milliseconds(10), .seconds(61)] {
            #expect(throws: DTLSError.invalidRetransmissionTimeout(timeout)) {
                try DTLSEndpoint(context: DTLSContext(certificate: certificate), role: .client,
                                 remoteFingerprint: certificate.fingerprint, initialRetransmissionTimeout: timeout)
            }
        }
        // The shortest allowed timer does not fire inside start(): one ClientHello, not a burst.
        let client = try DTLSEndpoint(context: DTLSContext(certificate: certificate), role: .client,
                                      remoteFingerprint: certificate.fingerprint, initialRetransmissionTimeout: .milliseconds(20))
        client.start(now: .zero)
        #expect(client.pollTransmit() != nil)
        #expect(client.pollTransmit() == nil)
        #expect(client.state == .connecting)
    }

    @Test func replayedHandshakeDatagramsAfterConnectingAreDropped() throws {
        // Byte-identical copies of the client's last flight (a duplicating network, or an
        // attacker) carry record sequence numbers already seen: DTLS replay protection drops
        // them, so the server neither answers nor reports anything. (A real retransmission by
        // the client's timer uses new sequence numbers and gets the server's flight again; that
        // path needs OpenSSL's clock to advance and is not tested here.)
        let pair = try DTLSPair()
        pair.client.start(now: pair.now)
        pair.server.start(now: pair.now)
        var lastClientFlight: [[UInt8]] = []
        for _ in 0..<20 where pair.server.state != .connected {
            lastClientFlight = []
            while let datagram = pair.client.pollTransmit() { lastClientFlight.append(datagram); pair.server.handle(datagram: datagram, now: pair.now) }
            while let datagram = pair.server.pollTransmit() { pair.client.handle(datagram: datagram, now: pair.now) }
        }
        pair.drainEvents()
        #expect(pair.server.state == .connected && pair.client.state == .connected)
        #expect(!lastClientFlight.isEmpty)
        for datagram in lastClientFlight { pair.server.handle(datagram: datagram, now: pair.now) }
        #expect(pair.server.pollTransmit() == nil)
        #expect(pair.server.counters.malformedDatagrams == 0, "well-framed: OpenSSL dropped them, not the framing check")
        pair.drainEvents()
        #expect(pair.server.state == .connected && pair.client.state == .connected)
        #expect(pair.serverEvents.count == 1 && pair.clientEvents.count == 1, "connected is reported once")
        #expect(pair.server.counters.applicationDataIgnored == 0)
    }

    @Test func defaultTimerReportsAboutOneSecond() throws {
        let pair = try DTLSPair()
        pair.client.start(now: pair.now)
        let deadline = try #require(pair.client.nextDeadline(now: pair.now))
        let wait = deadline.nanoseconds - pair.now.nanoseconds
        // OpenSSL's first DTLS timeout is 1 s, counted on its own clock from when the flight left.
        #expect(wait > 900_000_000 && wait <= 1_000_000_000)
        // Not expired: handleTimeout does nothing.
        pair.client.handleTimeout(now: pair.now)
        #expect(pair.client.counters.retransmissionTimeouts == 0)
        #expect(pair.client.pollTransmit() != nil)  // the original ClientHello
        #expect(pair.client.pollTransmit() == nil)
    }

    @Test func garbageIsCountedAndDropped() throws {
        let pair = try DTLSPair()
        pair.client.start(now: pair.now)
        var generator = SeededGenerator(seed: 7)
        var garbage: [[UInt8]] = [[], [22], [0x80, 0x60, 0, 1], Array(repeating: 0xFF, count: 1500),
                                  [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200]]  // a record longer than its datagram
        for _ in 0..<200 {
            let length = Int(generator.next() % 300)
            var datagram = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if !datagram.isEmpty { datagram[0] = 0xFE }  // never a valid content type
            garbage.append(datagram)
        }
        for datagram in garbage { pair.server.handle(datagram: datagram, now: pair.now) }
        #expect(pair.server.counters.datagramsReceived == garbage.count)
        #expect(pair.server.counters.malformedDatagrams == garbage.count)
        #expect(pair.server.pollTransmit() == nil && pair.server.pollEvent() == nil)
        // The server still completes a real handshake.
        pair.pump()
        #expect(pair.client.state == .connected && pair.server.state == .connected)

        // After the handshake, well-framed records with random bodies reach OpenSSL, which
        // drops them (wrong epoch, or a MAC that fails); the association survives.
        for epoch: UInt8 in [0, 1] {
            for _ in 0..<50 {
                let body = (0..<Int(generator.next() % 100)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let type = UInt8(20 + generator.next() % 4)
                let record = [type, 0xFE, 0xFD, 0, epoch, 0, 0, 0, 0, 0, 99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
                pair.server.handle(datagram: record, now: pair.now)
                pair.client.handle(datagram: record, now: pair.now)
            }
        }
        pair.pump()
        #expect(pair.client.state == .connected && pair.server.state == .connected)
    }

    @Test func closeNotifyClosesThePeer() throws {
        let pair = try DTLSPair()
        pair.run()
        #expect(pair.server.state == .connected)
        pair.client.close(now: pair.now)
        #expect(pair.client.state == .closed)
        pair.pump()
        #expect(pair.serverEvents.last == .closed)
        #expect(pair.server.state == .closed)
        #expect(pair.server.nextDeadline(now: pair.now) == nil)
    }

    @Test func rolesResolveAsMediasoupDoes() throws {
        #expect(try DTLSRole.auto.resolved(remote: .auto) == .client)
        #expect(try DTLSRole.auto.resolved(remote: .client) == .server)
        #expect(try DTLSRole.auto.resolved(remote: .server) == .client)
        #expect(try DTLSRole.server.resolved(remote: .auto) == .server)
        #expect(throws: DTLSError.roleConflict(local: .client, remote: .client)) { try DTLSRole.client.resolved(remote: .client) }
        let certificate = try DTLSCertificate.shared()
        #expect(throws: DTLSError.unresolvedRole) {
            try DTLSEndpoint(context: DTLSContext(certificate: certificate), role: .auto, remoteFingerprint: certificate.fingerprint)
        }
    }

    @Test func demultiplexesByFirstByte() {
        #expect(DTLSEndpoint.isDTLS(firstByte: 22))
        #expect(!DTLSEndpoint.isDTLS(firstByte: 0))     // STUN
        #expect(!DTLSEndpoint.isDTLS(firstByte: 0x80))  // RTP
    }
}

