import CAllocationCounter
import DTLSSRTP
import Testing

/// The OpenSSL backend against libsrtp2: the same keys give the same bytes, each reads what the
/// other wrote, and both accept and reject the same packets (ROC, replay window, repeats).
@Suite struct SRTPBackendInteropTests {
    /// Fixed keys of `profile` (client role), different for client and server.
    static func keys(_ profile: SRTPProfile) -> SRTPKeyingMaterial {
        let length = profile.masterKeyLength + profile.masterSaltLength
        let client = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let server = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 200) }
        return SRTPKeyingMaterial(profile: profile, localRole: .client, clientKeyAndSalt: client, serverKeyAndSalt: server)!
    }

    static func rtp(_ ssrc: UInt32, _ sequence: UInt16, payload: Int = 157) -> [UInt8] {
        SRTPSessionTests.rtpPacket(sequence: sequence, ssrc: ssrc, payload: payload)
    }

    /// Protects `sequences` of `ssrc` with `sender` up front; returns a function that delivers
    /// one of them (by sequence number) to `receiver`, in whatever order the test calls it.
    static func wire(from sender: SRTPSession, to receiver: SRTPSession, ssrc: UInt32,
                     sequences: ClosedRange<UInt16>) throws -> (UInt16) throws(SRTPError) -> Void {
        var wire: [UInt16: [UInt8]] = [:]
        for sequence in sequences {
            var packet = rtp(ssrc, sequence, payload: 40)
            try sender.protectRTP(&packet)
            wire[sequence] = packet
        }
        return { (sequence: UInt16) throws(SRTPError) in
            var packet = wire[sequence]!
            try receiver.unprotectRTP(&packet)
        }
    }

    /// Two SSRCs: SSRC 1 jumps by 40,000 (> 2^15) while its index is still in the first half of
    /// ROC 0, then wraps 65535 → 0 (ROC 1) and sends sequence numbers 1 and 2 a second time;
    /// SSRC 2 starts above 2^15 and wraps.
    static let script: [(ssrc: UInt32, sequence: UInt16)] = [
        (1, 1), (1, 2), (2, 65_530), (1, 3), (1, 40_003), (2, 65_535), (1, 40_004), (2, 0), (1, 65_534),
        (1, 65_535), (2, 1), (1, 0), (1, 1), (1, 2), (2, 30_000), (1, 9),
    ]

    @Test(arguments: SRTPProfile.allCases)
    func sameBytesAndEachReadsTheOther(profile: SRTPProfile) throws {
        let keys = Self.keys(profile)
        let libSender = try SRTPSession(keys: keys, backend: .libsrtp2)
        let sslSender = try SRTPSession(keys: keys, backend: .openssl)
        let libReceiver = try SRTPSession(keys: keys.peer, backend: .libsrtp2)
        let sslReceiver = try SRTPSession(keys: keys.peer, backend: .openssl)
        var firstOfSequenceOne: [UInt8]?
        for (ssrc, sequence) in Self.script {
            let original = Self.rtp(ssrc, sequence)
            var fromLib = original
            var fromSSL = original
            try libSender.protectRTP(&fromLib)
            try sslSender.protectRTP(&fromSSL)
            #expect(fromSSL == fromLib, "SSRC \(ssrc) sequence \(sequence)")
            var intoSSL = fromLib
            var intoLib = fromSSL
            try sslReceiver.unprotectRTP(&intoSSL)
            try libReceiver.unprotectRTP(&intoLib)
            #expect(intoSSL == original && intoLib == original, "SSRC \(ssrc) sequence \(sequence)")
            if ssrc == 1 && sequence == 1 {
                if let firstOfSequenceOne {
                    #expect(fromSSL != firstOfSequenceOne, "after the wrap the ROC is 1: another keystream and tag")
                } else {
                    firstOfSequenceOne = fromSSL
                }
            }
        }
        // A jump of 40,000 now (ROC 1, sequence 9) reads as ROC 0, far behind the window: both refuse it.
        for sender in [libSender, sslSender] {
            var late = Self.rtp(1, 40_002)
            #expect(throws: SRTPError.replayed) { try sender.protectRTP(&late) }
            #expect(sender.counters.replays == 1)
        }
        // SRTCP: indices 1, 2, 3 … per SSRC, the same bytes, read across.
        for (round, ssrc) in [UInt32(7), 8, 7, 7, 8].enumerated() {
            let original = SRTPSessionTests.rtcpReceiverReport(ssrc: ssrc) + [UInt8](repeating: UInt8(round), count: 13)
            var fromLib = original
            var fromSSL = original
            try libSender.protectRTCP(&fromLib)
            try sslSender.protectRTCP(&fromSSL)
            #expect(fromSSL == fromLib, "SRTCP round \(round)")
            var intoSSL = fromLib
            var intoLib = fromSSL
            try sslReceiver.unprotectRTCP(&intoSSL)
            try libReceiver.unprotectRTCP(&intoLib)
            #expect(intoSSL == original && intoLib == original)
            var replayIntoSSL = fromLib
            var replayIntoLib = fromSSL
            #expect(throws: SRTPError.replayed) { try sslReceiver.unprotectRTCP(&replayIntoSSL) }
            #expect(throws: SRTPError.replayed) { try libReceiver.unprotectRTCP(&replayIntoLib) }
        }
        #expect(sslReceiver.counters == libReceiver.counters)
        #expect(sslReceiver.counters.replays == 5 && sslReceiver.counters.rtcpUnprotected == 5)
    }

    /// A receiver on `backend` fed by a sender on the other: reordering inside the 1024-packet
    /// window is accepted, a packet 1024 behind the highest is refused, repeats are refused, and a
    /// packet from before a wrap arriving after it is still read with the old ROC.
    @Test(arguments: SRTPProfile.allCases, SRTPBackend.allCases)
    func reorderInsideTheWindowIsAcceptedAndOlderIsNot(profile: SRTPProfile, backend: SRTPBackend) throws {
        let keys = Self.keys(profile)
        let sender = try SRTPSession(keys: keys, backend: backend == .openssl ? .libsrtp2 : .openssl)
        let receiver = try SRTPSession(keys: keys.peer, backend: backend)
        let deliver = try Self.wire(from: sender, to: receiver, ssrc: 1, sequences: 1...1_100)
        try deliver(1)
        try deliver(1_100)
        try deliver(77)  // 1,023 behind: the oldest the window holds
        #expect(throws: SRTPError.replayed) { try deliver(76) }  // 1,024 behind
        try deliver(500)
        #expect(throws: SRTPError.replayed) { try deliver(500) }
        try deliver(1_099)
        #expect(receiver.counters.replays == 2 && receiver.counters.rtpUnprotected == 5)

        // Across a wrap: 65534, then 0 (ROC 1), then the late 65535 (ROC 0).
        let wrapped: [UInt16] = [65_533, 65_534, 65_535, 0]
        var wrappedWire: [[UInt8]] = []
        let wrapSender = try SRTPSession(keys: keys, backend: backend == .openssl ? .libsrtp2 : .openssl)
        for sequence in wrapped {
            var packet = Self.rtp(5, sequence)
            try wrapSender.protectRTP(&packet)
            wrappedWire.append(packet)
        }
        for position in [0, 1, 3, 2] {
            var packet = wrappedWire[position]
            try receiver.unprotectRTP(&packet)
            #expect(packet == Self.rtp(5, wrapped[position]))
        }
    }

    /// The window size is honoured alike: 100 rounds up to 128 packets (libsrtp2's 32-bit
    /// words), and sizes beyond libsrtp2's limit are clamped to it instead of failing.
    @Test(arguments: SRTPBackend.allCases)
    func replayWindowSizeIsHonouredAlike(backend: SRTPBackend) throws {
        let keys = Self.keys(.aeadAES128GCM)
        let sender = try SRTPSession(keys: keys, backend: backend == .openssl ? .libsrtp2 : .openssl)
        let receiver = try SRTPSession(keys: keys.peer, replayWindow: 100, backend: backend)
        let deliver = try Self.wire(from: sender, to: receiver, ssrc: 9, sequences: 1...200)
        try deliver(1)
        try deliver(200)
        try deliver(73)  // 127 behind
        #expect(throws: SRTPError.replayed) { try deliver(72) }  // 128 behind
        for window in [32_768, 1_000_000] {
            _ = try SRTPSession(keys: keys, replayWindow: window, backend: backend)
        }
    }

    @Test(arguments: SRTPBackend.allCases)
    func repeatedTransmissionIsAllowedOnlyWhenAsked(backend: SRTPBackend) throws {
        let keys = Self.keys(.aesCM128HMACSHA1_80)
        let allowing = try SRTPSession(keys: keys, allowRepeatTransmission: true, backend: backend)
        let strict = try SRTPSession(keys: keys, allowRepeatTransmission: false, backend: backend)
        var first = Self.rtp(3, 10)
        var again = Self.rtp(3, 10)
        try allowing.protectRTP(&first)
        try allowing.protectRTP(&again)
        #expect(first == again, "a retransmission keeps its index, so its bytes")
        var once = Self.rtp(3, 10)
        var twice = Self.rtp(3, 10)
        try strict.protectRTP(&once)
        #expect(throws: SRTPError.replayed) { try strict.protectRTP(&twice) }
        #expect(twice == Self.rtp(3, 10), "refused before the packet is touched")
    }

    @Test(arguments: SRTPBackend.allCases)
    func malformedHeadersAreTypedErrors(backend: SRTPBackend) throws {
        let keys = Self.keys(.aeadAES128GCM)
        let sender = try SRTPSession(keys: keys, backend: backend)
        let receiver = try SRTPSession(keys: keys.peer, backend: backend)
        var csrcs = Self.rtp(1, 1, payload: 8)
        csrcs[0] = 0x8F  // 15 CSRCs: 72 header bytes in a 20-byte packet
        #expect(throws: SRTPError.malformed) { try sender.protectRTP(&csrcs) }
        var extensionTooLong = Self.rtp(1, 1, payload: 40)
        extensionTooLong[0] = 0x90
        extensionTooLong[14] = 0x10  // extension of 4096 words in a 52-byte packet
        extensionTooLong[15] = 0x00
        #expect(throws: SRTPError.malformed) { try receiver.unprotectRTP(&extensionTooLong) }
        #expect(sender.counters.badLength == 1 && receiver.counters.badLength == 1)
    }

    /// Once an SSRC is known, the OpenSSL backend allocates nothing: RTP and RTCP, both ways.
    @Test(.enabled(if: sfulab_allocation_counter_is_supported(), "the counter interposes glibc's malloc"),
          arguments: SRTPProfile.allCases)
    func openSSLBackendAllocatesNothingPerPacket(profile: SRTPProfile) throws {
        let benchmark = try SRTPBenchmark(profile: profile, payloadSize: 1000, backend: .openssl)
        benchmark.warmUp()
        let keys = Self.keys(profile)
        let sender = try SRTPSession(keys: keys, backend: .openssl)
        let receiver = try SRTPSession(keys: keys.peer, backend: .openssl)
        let report = SRTPSessionTests.rtcpReceiverReport()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 16)
        defer { buffer.deallocate() }
        func rtcpRoundTrip() throws(SRTPError) -> Bool {
            buffer.copyBytes(from: report)
            let protected = try sender.protectRTCP(buffer, length: report.count)
            return try receiver.unprotectRTCP(buffer, length: protected) == report.count
        }
        _ = try rtcpRoundTrip()  // the SSRC's first packet makes its state
        sfulab_allocation_counter_start()
        let intact = try benchmark.roundTrips(count: 200)
        var rtcpIntact = 0
        for _ in 0..<200 {
            if try rtcpRoundTrip() { rtcpIntact += 1 }
        }
        let counts = sfulab_allocation_counter_stop()
        #expect(intact == 200 && rtcpIntact == 200)
        #expect(counts.allocations == 0, "\(counts.allocations) allocations in 400 round trips")
    }
}
