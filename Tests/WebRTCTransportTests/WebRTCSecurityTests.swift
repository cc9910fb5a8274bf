import DTLSSRTP
import Engine
import ICE
import Testing
import WebRTCTransport

@Suite struct WebRTCSecurityTests {
    @Test func connectsAndCarriesRTPAndRTCPBothWays() throws {
        let pair = try SecurityPair()
        #expect(pair.server.dtlsRole == .server)
        pair.start()
        #expect(pair.server.iceState == .completed)
        #expect(pair.server.selectedTuple == SecurityPair.serverTuple)
        #expect(pair.client.iceState == .completed)
        #expect(pair.server.dtlsState == .connected)
        #expect(pair.client.dtlsState == .connected)
        #expect(pair.server.srtpProfile == .aeadAES256GCM)
        #expect(pair.client.setupTime != nil)
        #expect(pair.serverEvents.contains(.iceStateChanged(.completed)))
        #expect(pair.serverEvents.contains(.selectedTupleChanged(SecurityPair.serverTuple)))
        #expect(pair.serverEvents.contains(.dtlsStateChanged(.connected)))

        for sequence in UInt16(1)...20 {
            let packet = rtpPacket(sequence: sequence)
            let protected = try #require(pair.client.protect(packet, rtcp: false))
            #expect(protected.count == packet.count + SRTPProfile.aeadAES256GCM.rtpOverhead)
            #expect(protected != packet + Array(repeating: 0, count: 16))
            let (result, plain) = pair.server.handle(protected, on: SecurityPair.serverTuple, now: pair.now)
            #expect(result == .rtp(length: packet.count))
            #expect(plain == packet)
        }
        let rtcp = rtcpPacket()
        let protectedRTCP = try #require(pair.client.protect(rtcp, rtcp: true))
        #expect(pair.server.handle(protectedRTCP, on: SecurityPair.serverTuple, now: pair.now).1 == rtcp)

        let down = rtpPacket(sequence: 500, ssrc: 0xABCD)
        let (protectedDown, tuple) = try #require(pair.server.protect(down, rtcp: false))
        #expect(tuple == SecurityPair.serverTuple)
        #expect(pair.client.handle(protectedDown, now: pair.now) == (.rtp(length: down.count), down))
        let (protectedDownRTCP, _) = try #require(pair.server.protect(rtcp, rtcp: true))
        #expect(pair.client.handle(protectedDownRTCP, now: pair.now) == (.rtcp(length: rtcp.count), rtcp))
        #expect(pair.server.counters.mediaReceived == 21)
        #expect(pair.server.counters.totalDropped == 0)
        #expect(pair.client.counters.mediaReceived == 2)
    }

    @Test func serverTakesTheClientRoleWhenTheClientSignalsServer() throws {
        let pair = try SecurityPair(role: .server)
        #expect(pair.server.dtlsRole == .client)
        pair.start()
        #expect(pair.server.dtlsState == .connected)
        #expect(pair.client.dtlsState == .connected)
        let packet = rtpPacket(sequence: 1)
        let (protected, _) = try #require(pair.server.protect(packet, rtcp: false))
        #expect(pair.client.handle(protected, now: pair.now).1 == packet)
    }

    @Test func wrongFingerprintFailsBothSidesAndCarriesNoMedia() throws {
        let stranger = try DTLSCertificate.generate(commonName: "stranger").fingerprint
        let pair = try SecurityPair(signalledFingerprint: stranger)
        pair.start()
        #expect(pair.server.dtlsState == .failed)
        #expect(pair.client.dtlsState == .failed)
        #expect(pair.serverEvents.contains { if case .dtlsFailed(.fingerprintMismatch) = $0 { true } else { false } })
        #expect(pair.client.protect(rtpPacket(sequence: 1), rtcp: false) == nil)
        #expect(pair.client.counters[.sendBeforeKeys] == 1)
        #expect(pair.server.protect(rtpPacket(sequence: 1), rtcp: false) == nil)
        #expect(pair.server.counters[.sendBeforeKeys] == 1)
        // SRTP-looking bytes before keys are counted, not decrypted.
        let (result, _) = pair.server.handle(rtpPacket(sequence: 2) + Array(repeating: 0, count: 16), on: SecurityPair.serverTuple, now: pair.now)
        #expect(result == .dropped(.mediaBeforeKeys))
    }

    @Test func wrongIcePasswordFailsTheCheckAndNoDTLSStarts() throws {
        let pair = try SecurityPair(clientPassword: "wrongpasswordwrongpassword12")
        pair.start()
        #expect(pair.server.iceState == .new)
        #expect(pair.server.selectedTuple == nil)
        #expect(pair.server.iceCounters[.badIntegrity] == 1)
        #expect(pair.client.iceState == .failed)
        #expect(pair.server.dtlsState == .new)
        #expect(pair.client.dtlsState == .new)
        // Media from a tuple ICE never validated is refused.
        let (result, _) = pair.server.handle(rtpPacket(sequence: 1), on: SecurityPair.serverTuple, now: pair.now)
        #expect(result == .dropped(.unknownTuple))
    }

    @Test func garbageIsCountedAndDropped() throws {
        let pair = try SecurityPair()
        pair.start()
        var random = SeededGenerator(seed: 3)
        var expectedUnknown = 0
        for _ in 0..<200 {
            let length = Int.random(in: 0..<300, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let (result, _) = pair.server.handle(bytes, on: SecurityPair.serverTuple, now: pair.now)
            #expect(result.mediaLength == nil, "random bytes never decrypt")
            if WebRTCDatagramKind.classify(bytes) == .unknown { expectedUnknown += 1 }
        }
        #expect(pair.server.counters[.unknownKind] == expectedUnknown)
        #expect(pair.server.counters[.authenticationFailed] + pair.server.counters[.malformedMedia] > 0)
        // The association survives: media still flows.
        let packet = rtpPacket(sequence: 9)
        let protected = try #require(pair.client.protect(packet, rtcp: false))
        #expect(pair.server.handle(protected, on: SecurityPair.serverTuple, now: pair.now).1 == packet)
        // A replay is counted.
        #expect(pair.server.handle(protected, on: SecurityPair.serverTuple, now: pair.now).0 == .dropped(.replayed))
        // From another tuple: refused.
        let other = ICETransportTuple(local: SecurityPair.serverAddress, remote: TransportAddress(ip: .loopbackV4, port: 1))
        #expect(pair.server.handle(protected, on: other, now: pair.now).0 == .dropped(.unknownTuple))
    }

    @Test func dtlsBeforeConnectIsCounted() throws {
        var generator = SeededGenerator(seed: 1)
        let server = WebRTCServerSecurity(context: try SecurityPair.serverContext(), generator: &generator)
        let record: [UInt8] = [22, 0xFE, 0xFD] + Array(repeating: 0, count: 20)
        var copy = record
        let result = copy.withUnsafeMutableBytes { server.handle($0, length: record.count, on: SecurityPair.serverTuple, now: .zero) }
        #expect(result == .dropped(.dtlsBeforeConnect))
        #expect(server.counters[.dtlsBeforeConnect] == 1)
        try server.connect(remoteRole: .client, remoteFingerprint: try DTLSCertificate.shared().fingerprint, now: .zero)
        #expect(throws: WebRTCSecurityError.alreadyConnected) {
            try server.connect(remoteRole: .client, remoteFingerprint: try DTLSCertificate.shared().fingerprint, now: .zero)
        }
    }

    @Test func consentExpiryStopsSendingAndDeadlinesCombine() throws {
        let pair = try SecurityPair()
        pair.start()
        let deadline = try #require(pair.server.nextDeadline(now: pair.now))
        #expect(deadline == pair.now + .seconds(30))
        pair.server.handleTimeout(now: deadline)
        #expect(pair.server.iceState == .disconnected)
        #expect(pair.server.selectedTuple == nil)
        #expect(pair.server.protect(rtpPacket(sequence: 1), rtcp: false) == nil)
        #expect(pair.server.counters[.sendWithoutTuple] == 1)
        let clientDeadline = try #require(pair.client.nextDeadline(now: pair.now))
        #expect(clientDeadline > pair.now && clientDeadline <= pair.now + .seconds(6))
    }
}
