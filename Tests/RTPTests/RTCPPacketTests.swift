import PropertyBased
import Testing
@testable import RTP

@Suite struct RTCPPacketTests {
    static let block = RTCPReportBlock(
        ssrc: 0xAABB_CCDD, fractionLost: 64, cumulativeLost: -3, extendedHighestSequenceNumber: 0x0001_FFFF,
        jitter: 90, lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 65536)

    static let samplePackets: [RTCPPacket] = [
        .senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 0xE000_0000_8000_0000, rtpTimestamp: 90_000, packetCount: 10, octetCount: 1000, reportBlocks: [block])),
        .receiverReport(RTCPReceiverReport(ssrc: 2, reportBlocks: [block, block])),
        .sdes(RTCPSourceDescription(chunks: [RTCPSourceDescriptionChunk(ssrc: 1, cname: "user@host"), RTCPSourceDescriptionChunk(ssrc: 2, cname: "abcd")])),
        .bye(RTCPBye(ssrcs: [1, 2], reason: Array("gone".utf8))),
        .nack(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [65534, 65535, 0, 17, 100])),
        .pli(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
        .fir(RTCPFullIntraRequest(senderSSRC: 1, entries: [RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 255)])),
        .remb(RTCPREMB(senderSSRC: 1, bitrateBitsPerSecond: 522_022, ssrcs: [2, 3])),
        .transportFeedback(RTCPTransportFeedback(senderSSRC: 1, mediaSSRC: 2, feedbackPacketCount: 9, arrivals: [(65535, 1_000_000), (1, 1_000_250), (2, nil), (3, 900_000)])),
        .extendedReport(RTCPExtendedReport(senderSSRC: 1, blocks: [
            .receiverReferenceTime(RTCPReceiverReferenceTime(ntpTimestamp: 0xE000_0001_8000_0000)),
            .delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: [
                RTCPDelaySinceLastReceiverReportItem(ssrc: 2, lastReceiverReport: 0x0001_8000, delaySinceLastReceiverReport: 655)])),
        ])),
        .unknown(RTCPUnknownPacket(packetType: 204, countOrFormat: 0, bytes: [0x80, 204, 0, 2, 0, 0, 0, 1, 0x6E, 0x61, 0x6D, 0x65])),
    ]

    @Test func compoundRoundTrip() throws {
        let bytes = RTCPPacket.serializeCompound(Self.samplePackets)
        #expect(bytes.count % 4 == 0)
        #expect(try RTCPPacket.parseCompound(bytes) == Self.samplePackets)
        var buffer = [UInt8](repeating: 0, count: bytes.count)
        #expect(buffer.withUnsafeMutableBytes { RTCPPacket.writeCompound(Self.samplePackets, into: $0) } == bytes.count)
        #expect(buffer == bytes)
        var small = [UInt8](repeating: 0, count: bytes.count - 1)
        #expect(small.withUnsafeMutableBytes { RTCPPacket.writeCompound(Self.samplePackets, into: $0) } == nil)
    }

    @Test(arguments: samplePackets)
    func eachPacketRoundTripsAndHeaderLengthIsRight(packet: RTCPPacket) throws {
        let bytes = packet.bytes
        let headers = bytes.withUnsafeBytes { raw in RTCPCompoundIterator(raw).map { try? $0.get() } }
        #expect(headers.count == 1)
        #expect(headers.first??.range == 0..<bytes.count)
        #expect(try RTCPPacket.parseCompound(bytes) == [packet])
    }

    @Test func senderReportKnownAnswer() throws {
        let bytes: [UInt8] = [0x81, 200, 0x00, 0x0C, 0, 0, 0, 1, 0xE0, 0, 0, 0, 0x80, 0, 0, 0, 0, 1, 0x5F, 0x90, 0, 0, 0, 10, 0, 0, 0x03, 0xE8,
                              0xAA, 0xBB, 0xCC, 0xDD, 64, 0xFF, 0xFF, 0xFD, 0, 1, 0xFF, 0xFF, 0, 0, 0, 90, 0x12, 0x34, 0x56, 0x78, 0, 1, 0, 0]
        #expect(try RTCPPacket.parseCompound(bytes) == [Self.samplePackets[0]])
        #expect(Self.samplePackets[0].bytes == bytes)
        guard case .senderReport(let report) = Self.samplePackets[0] else { return }
        #expect(report.compactNTPTimestamp == 0x0000_8000)
    }

    @Test func sdesKnownAnswerAndCNAME() throws {
        // SC=1, ssrc 1, CNAME "ab", null item, padding to 4: 4 + 4 + 2 + 2 + 1 → 13 → 16 bytes.
        let bytes: [UInt8] = [0x81, 202, 0, 3, 0, 0, 0, 1, 1, 2, 0x61, 0x62, 0, 0, 0, 0]
        let packets = try RTCPPacket.parseCompound(bytes)
        guard case .sdes(let sdes) = packets.first else { Issue.record("not SDES"); return }
        #expect(sdes.chunks.first?.cname == "ab")
        #expect(packets[0].bytes == bytes)
    }

    @Test func rembKnownAnswer() throws {
        // Layout as in libwebrtc's remb_unittest: exponent 1, mantissa 0x3FB93 → 522022 bps.
        let bytes: [UInt8] = [0x8F, 206, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42,
                              0x03, 0x07, 0xFB, 0x93, 0x23, 0x45, 0x67, 0x89, 0x23, 0x45, 0x67, 0x8A, 0x23, 0x45, 0x67, 0x8B]
        let expected = RTCPREMB(senderSSRC: 0x1234_5678, bitrateBitsPerSecond: 0x3FB93 * 2, ssrcs: [0x2345_6789, 0x2345_678A, 0x2345_678B])
        #expect(try RTCPPacket.parseCompound(bytes) == [.remb(expected)])
        #expect(RTCPPacket.remb(expected).bytes == bytes)
    }

    @Test(arguments: [UInt64(0), 1, 0x3FFFF, 0x40000, 522_022, 1_000_000, 2_500_000_000, 0x3FFFF << 40])
    func rembBitrateQuantization(bitrate: UInt64) throws {
        let quantized = RTCPREMB.quantized(bitrateBitsPerSecond: bitrate)
        #expect(quantized <= bitrate)
        #expect(bitrate - quantized < max(1, bitrate >> 17))
        let packet = RTCPPacket.remb(RTCPREMB(senderSSRC: 1, bitrateBitsPerSecond: bitrate, ssrcs: []))
        guard case .remb(let parsed) = try RTCPPacket.parseCompound(packet.bytes).first else { Issue.record("not REMB"); return }
        #expect(parsed.bitrateBitsPerSecond == quantized)
    }

    @Test func rembOverflowSaturates() throws {
        let bytes: [UInt8] = [0x8F, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42, 0x00, 0xFF, 0xFF, 0xFF]
        guard case .remb(let parsed) = try RTCPPacket.parseCompound(bytes).first else { Issue.record("not REMB"); return }
        #expect(parsed.bitrateBitsPerSecond == .max)
    }

    @Test func psfbFormat15WithoutREMBIsUnknown() throws {
        let bytes: [UInt8] = [0x8F, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0x41, 0x42, 0x43, 0x44]
        #expect(try RTCPPacket.parseCompound(bytes) == [.unknown(RTCPUnknownPacket(packetType: 206, countOrFormat: 15, bytes: bytes))])
    }

    @Test func byeWithoutReasonAndFIRKnownAnswer() throws {
        let bye: [UInt8] = [0x81, 203, 0, 1, 0, 0, 0, 7]
        #expect(try RTCPPacket.parseCompound(bye) == [.bye(RTCPBye(ssrcs: [7]))])
        let fir: [UInt8] = [0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 5, 0, 0, 0]
        #expect(try RTCPPacket.parseCompound(fir) == [.fir(RTCPFullIntraRequest(senderSSRC: 1, entries: [RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 5)]))])
        #expect(RTCPPacket.fir(RTCPFullIntraRequest(senderSSRC: 1, entries: [RTCPFullIntraRequestEntry(ssrc: 2, sequenceNumber: 5)])).bytes == fir)
        let pli: [UInt8] = [0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]
        #expect(try RTCPPacket.parseCompound(pli) == [.pli(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2))])
    }

    @Test(arguments: [
        ([UInt8]([0x80, 201]), RTCPParseError.tooShort),
        ([0x40, 201, 0, 1, 0, 0, 0, 1], .badVersion),
        ([0x80, 201, 0, 2, 0, 0, 0, 1], .badLength),
        ([0xA0, 201, 0, 1, 0, 0, 0, 0], .badPadding),
        ([0xA0, 201, 0, 1, 0, 0, 0, 5], .badPadding),
        ([0x81, 201, 0, 1, 0, 0, 0, 1], .malformed(packetType: 201)),  // RC=1 but no block
        ([0x81, 201, 0, 0], .tooShort),  // no SSRC
        ([0x8F, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42, 0x02, 0, 0, 1], .malformed(packetType: 206)),
    ])
    func rejectsMalformed(bytes: [UInt8], expected: RTCPParseError) {
        #expect(parseRTCP(bytes) == .failure(expected))
    }

    @Test func everyPrefixOfACompoundFails() {
        let bytes = RTCPPacket.serializeCompound(Self.samplePackets)
        var boundaries = Set<Int>([0])
        var offset = 0
        for packet in Self.samplePackets {
            offset += packet.bytes.count
            boundaries.insert(offset)
        }
        for length in 0..<bytes.count {
            let result = parseRTCP(Array(bytes.prefix(length)))
            if boundaries.contains(length) {
                #expect(throws: Never.self) { try result.get() }
            } else {
                #expect(throws: RTCPParseError.self, "prefix \(length)") { try result.get() }
            }
        }
    }

    @Test func randomGarbageNeverTraps() {
        var random = TestRandom(seed: 7)
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = random.bytes(Int.random(in: 0...80, using: &random))
            if bytes.count >= 4 {
                bytes[0] = 0x80 | (bytes[0] & 0x3F)
                bytes[1] = UInt8.random(in: 200...207, using: &random)
                bytes[2] = 0
                bytes[3] = UInt8((bytes.count / 4) - 1)
            }
            if case .success = parseRTCP(bytes) { parsed += 1 }
        }
        #expect(parsed > 0)
    }

    @Test func isRTCPDemux() {
        #expect(RTPDemux.isRTCP([0x80, 200]))
        #expect(RTPDemux.isRTCP([0x81, 223]))
        #expect(!RTPDemux.isRTCP([0x80, 191]))
        #expect(!RTPDemux.isRTCP([0x80, 224]))
        #expect(!RTPDemux.isRTCP([0x80, 0x60]))  // RTP PT 96, no marker
        #expect(!RTPDemux.isRTCP([0x80, 0xE0]))  // RTP PT 96 with marker = 224
        #expect(!RTPDemux.isRTCP([0x00, 200]))  // not version 2 (e.g. STUN)
        #expect(!RTPDemux.isRTCP([0x80]))
        #expect([UInt8]([0x90]).withUnsafeBytes { RTPDemux.isRTPOrRTCP($0) })
        #expect(![UInt8]([0x16]).withUnsafeBytes { RTPDemux.isRTPOrRTCP($0) })  // DTLS
    }
}
