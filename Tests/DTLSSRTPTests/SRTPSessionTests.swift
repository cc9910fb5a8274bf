import CAllocationCounter
import CSRTP
import DTLSSRTP
import Engine
import Testing

/// SRTP sessions keyed by real handshakes: what one side protects the other unprotects.
@Suite struct SRTPSessionTests {
    /// Client and server sessions from a handshake negotiating `profile`.
    static func sessions(_ profile: SRTPProfile, backend: SRTPBackend = .libsrtp2) throws -> (client: SRTPSession, server: SRTPSession) {
        let pair = try DTLSPair(clientProfiles: [profile], serverProfiles: [profile])
        pair.run()
        let clientKeys = try #require(pair.client.keys)
        let serverKeys = try #require(pair.server.keys)
        return (try SRTPSession(keys: clientKeys, backend: backend), try SRTPSession(keys: serverKeys, backend: backend))
    }

    static func rtpPacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: Int = 200) -> [UInt8] {
        var packet: [UInt8] = [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0x00]
        packet += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        packet += (0..<payload).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequence)) }
        return packet
    }

    /// A receiver report with one report block (RFC 3550 §6.4.2), 32 bytes.
    static func rtcpReceiverReport(ssrc: UInt32 = 0xCAFE_BABE) -> [UInt8] {
        var packet: [UInt8] = [0x81, 201, 0, 7, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        packet += [0x12, 0x34, 0x56, 0x78] + Array(repeating: 0x11, count: 20)
        return packet
    }

    @Test(arguments: SRTPProfile.allCases, SRTPBackend.allCases)
    func rtpAndRTCPRoundTripBothWays(profile: SRTPProfile, backend: SRTPBackend) throws {
        let (client, server) = try Self.sessions(profile, backend: backend)
        for sequence in UInt16(1)...20 {
            let original = Self.rtpPacket(sequence: sequence)
            var packet = original
            try client.protectRTP(&packet)
            #expect(packet.count == original.count + profile.rtpOverhead)
            #expect(packet[12...] != original[12...], "the payload is encrypted")
            try server.unprotectRTP(&packet)
            #expect(packet == original)

            var back = original
            try server.protectRTP(&back)
            try client.unprotectRTP(&back)
            #expect(back == original)
        }
        let report = Self.rtcpReceiverReport()
        var rtcp = report
        try server.protectRTCP(&rtcp)
        #expect(rtcp.count == report.count + profile.rtcpOverhead)
        try client.unprotectRTCP(&rtcp)
        #expect(rtcp == report)
        #expect(client.counters.rtpProtected == 20 && server.counters.rtpUnprotected == 20)
        #expect(server.counters.rtcpProtected == 1 && client.counters.rtcpUnprotected == 1)
    }

    @Test(arguments: SRTPProfile.allCases, SRTPBackend.allCases)
    func tamperedPacketsFailAuthentication(profile: SRTPProfile, backend: SRTPBackend) throws {
        let (client, server) = try Self.sessions(profile, backend: backend)
        var packet = Self.rtpPacket(sequence: 100)
        try client.protectRTP(&packet)
        for index in [1, 12, packet.count / 2, packet.count - 1] {
            var tampered = packet
            tampered[index] ^= 0x01
            #expect(throws: SRTPError.authenticationFailed) { try server.unprotectRTP(&tampered) }
        }
        var rtcp = Self.rtcpReceiverReport()
        try client.protectRTCP(&rtcp)
        rtcp[10] ^= 0x40
        #expect(throws: SRTPError.authenticationFailed) { try server.unprotectRTCP(&rtcp) }
        #expect(server.counters.authenticationFailures == 5)
        // The untampered packet still goes through: failures leave no state behind.
        try server.unprotectRTP(&packet)
        #expect(server.counters.rtpUnprotected == 1)
    }

    @Test(arguments: SRTPProfile.allCases, SRTPBackend.allCases)
    func replaysAreRejected(profile: SRTPProfile, backend: SRTPBackend) throws {
        let (client, server) = try Self.sessions(profile, backend: backend)
        var packet = Self.rtpPacket(sequence: 5)
        try client.protectRTP(&packet)
        var first = packet
        try server.unprotectRTP(&first)
        var replay = packet
        #expect(throws: SRTPError.replayed) { try server.unprotectRTP(&replay) }
        var rtcp = Self.rtcpReceiverReport()
        try client.protectRTCP(&rtcp)
        var firstRTCP = rtcp
        try server.unprotectRTCP(&firstRTCP)
        #expect(throws: SRTPError.replayed) { try server.unprotectRTCP(&rtcp) }
        #expect(server.counters.replays == 2)
    }

    @Test(arguments: SRTPBackend.allCases)
    func shortPacketsAndSmallBuffersAreTypedErrors(backend: SRTPBackend) throws {
        let (client, server) = try Self.sessions(.aeadAES128GCM, backend: backend)
        var tiny: [UInt8] = [0x80, 96, 0, 1]
        #expect(throws: SRTPError.tooShort(length: 4)) { try client.protectRTP(&tiny) }
        #expect(tiny == [0x80, 96, 0, 1], "a rejected packet is left as it was")
        #expect(throws: SRTPError.tooShort(length: 4)) { try server.unprotectRTP(&tiny) }
        var packet = Self.rtpPacket(sequence: 1, payload: 20)
        let length = packet.count
        _ = packet.withUnsafeMutableBytes { buffer in
            #expect(throws: SRTPError.bufferTooSmall(needed: length + 16, capacity: length)) {
                try client.protectRTP(buffer, length: length)
            }
        }
        #expect(client.counters.badLength == 2 && server.counters.badLength == 1)
    }

    @Test(arguments: SRTPBackend.allCases)
    func wrongKeysFailAuthentication(backend: SRTPBackend) throws {
        let (client, _) = try Self.sessions(.aesCM128HMACSHA1_80, backend: backend)
        let (_, otherServer) = try Self.sessions(.aesCM128HMACSHA1_80, backend: backend)
        var packet = Self.rtpPacket(sequence: 9)
        try client.protectRTP(&packet)
        #expect(throws: SRTPError.authenticationFailed) { try otherServer.unprotectRTP(&packet) }
    }

    @Test(arguments: SRTPBackend.allCases)
    func anySSRCIsAcceptedInbound(backend: SRTPBackend) throws {
        let (client, server) = try Self.sessions(.aeadAES256GCM, backend: backend)
        for ssrc: UInt32 in [1, 2, 0xFFFF_FFFF] {
            let original = Self.rtpPacket(sequence: 1, ssrc: ssrc)
            var packet = original
            try client.protectRTP(&packet)
            try server.unprotectRTP(&packet)
            #expect(packet == original)
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func benchmarkLoopRoundTripsEveryPacket(profile: SRTPProfile) throws {
        let benchmark = try SRTPBenchmark(profile: profile, packetSize: 300, batch: 64)
        let run = try benchmark.measure(packets: 1_000)  // crosses batch boundaries; throws on any bad packet
        #expect(run.packets == 1_000)
        #expect(run.protectNanoseconds > 0 && run.unprotectNanoseconds > 0)
        let report = SRTPBenchmarkReport(profile: profile, packetSize: 300, runs: [run], allocations: 20, handshakeNanoseconds: 1_500_000, build: "debug")
        #expect(report.suite == profile.rawValue)
        #expect(report.allocationsPerPacket == 0.02)
        #expect(report.handshakeMicroseconds == 1_500)
    }

    /// libsrtp2 2.5's srtp_init is not idempotent: a second call (here, or in
    /// NativeLibrariesTests in the same process) returns bad_param. Sessions made before and
    /// after it keep working.
    @Test func aSecondSrtpInitElsewhereBreaksNothing() throws {
        let (client, server) = try Self.sessions(.aeadAES128GCM)
        let status = srtp_init()
        #expect(status == srtp_err_status_ok || status == srtp_err_status_bad_param)
        let (laterClient, laterServer) = try Self.sessions(.aesCM128HMACSHA1_80)
        for (sender, receiver) in [(client, server), (laterClient, laterServer)] {
            let original = Self.rtpPacket(sequence: 3)
            var packet = original
            try sender.protectRTP(&packet)
            try receiver.unprotectRTP(&packet)
            #expect(packet == original)
        }
    }

    @Test func keyingMaterialSplitsAsRFC5764Says() throws {
        let exported = (0..<56).map { UInt8($0) }
        let keys = try #require(SRTPKeyingMaterial(profile: .aeadAES128GCM, localRole: .client, exported: exported))
        #expect(keys.clientKeyAndSalt == Array(0..<16) + Array(32..<44))
        #expect(keys.serverKeyAndSalt == Array(16..<32) + Array(44..<56))
        #expect(keys.localKeyAndSalt == keys.clientKeyAndSalt && keys.peer.localKeyAndSalt == keys.serverKeyAndSalt)
        #expect(SRTPKeyingMaterial(profile: .aeadAES128GCM, localRole: .client, exported: Array(exported.prefix(55))) == nil)
    }

    /// Once a stream exists, protecting and unprotecting in place allocate nothing in this
    /// wrapper; libsrtp2 itself (on NSS here) may, so the wrapper is compared with raw libsrtp2
    /// calls on the same packets.
    @Test(.enabled(if: sfulab_allocation_counter_is_supported(), "the counter interposes glibc's malloc"),
          arguments: SRTPProfile.allCases)
    func steadyStateAllocatesNoMoreThanLibsrtpItself(profile: SRTPProfile) throws {
        let benchmark = try SRTPBenchmark(profile: profile, payloadSize: 1000)
        benchmark.warmUp()
        sfulab_allocation_counter_start()
        let wrapped = try benchmark.roundTrips(count: 200)
        let wrappedAllocations = sfulab_allocation_counter_stop().allocations
        sfulab_allocation_counter_start()
        let raw = try benchmark.rawLibsrtpRoundTrips(count: 200)
        let rawAllocations = sfulab_allocation_counter_stop().allocations
        #expect(wrapped == 200 && raw == 200)
        #expect(wrappedAllocations <= rawAllocations, "wrapper \(wrappedAllocations) vs raw libsrtp2 \(rawAllocations) allocations")
    }
}
