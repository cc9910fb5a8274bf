import PropertyBased
import Testing
@testable import RTP

@Suite struct RTCPExtendedReportTests {
    @Test func receiverReferenceTimeKnownAnswer() throws {
        // RFC 3611 §4.4: BT 4, reserved, block length 2, NTP MSW, NTP LSW.
        let bytes: [UInt8] = [0x80, 207, 0, 4, 0x11, 0x22, 0x33, 0x44,
                              4, 0, 0, 2, 0xE0, 0x01, 0x02, 0x03, 0x80, 0x00, 0x00, 0x00]
        let rrtr = RTCPReceiverReferenceTime(ntpTimestamp: 0xE001_0203_8000_0000)
        let xr = RTCPExtendedReport(senderSSRC: 0x1122_3344, blocks: [.receiverReferenceTime(rrtr)])
        #expect(try RTCPPacket.parseCompound(bytes) == [.extendedReport(xr)])
        #expect(RTCPPacket.extendedReport(xr).bytes == bytes)
        #expect(rrtr.compactNTPTimestamp == 0x0203_8000)
        #expect(xr.receiverReferenceTimes == [rrtr])
        #expect(xr.delaySinceLastReceiverReportItems.isEmpty)
    }

    @Test func dlrrKnownAnswer() throws {
        // RFC 3611 §4.5: BT 5, reserved, block length 3 × 2, then SSRC, LRR, DLRR per sub-block.
        let bytes: [UInt8] = [0x80, 207, 0, 8, 0, 0, 0, 9,
                              5, 0, 0, 6,
                              0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0, 1, 0, 0,
                              0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        let items = [RTCPDelaySinceLastReceiverReportItem(ssrc: 1, lastReceiverReport: 0x1234_5678, delaySinceLastReceiverReport: 65_536),
                     RTCPDelaySinceLastReceiverReportItem(ssrc: 2, lastReceiverReport: 0, delaySinceLastReceiverReport: 0)]
        let xr = RTCPExtendedReport(senderSSRC: 9, blocks: [.delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: items))])
        #expect(try RTCPPacket.parseCompound(bytes) == [.extendedReport(xr)])
        #expect(RTCPPacket.extendedReport(xr).bytes == bytes)
        #expect(xr.delaySinceLastReceiverReportItems == items)
    }

    @Test func unknownBlocksAndEmptyDLRRAreKept() throws {
        // A VoIP-metrics-like block (BT 7, 1 word), an empty DLRR, an empty unknown block.
        let bytes: [UInt8] = [0x80, 207, 0, 5, 0, 0, 0, 3,
                              7, 0xAB, 0, 1, 1, 2, 3, 4,
                              5, 0, 0, 0,
                              42, 0, 0, 0]
        let xr = RTCPExtendedReport(senderSSRC: 3, blocks: [
            .unknown(blockType: 7, typeSpecific: 0xAB, body: [1, 2, 3, 4]),
            .delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: [])),
            .unknown(blockType: 42, typeSpecific: 0, body: []),
        ])
        #expect(try RTCPPacket.parseCompound(bytes) == [.extendedReport(xr)])
        #expect(RTCPPacket.extendedReport(xr).bytes == bytes)
    }

    @Test func unknownBlockBodyIsPaddedToWholeWords() throws {
        let xr = RTCPExtendedReport(senderSSRC: 3, blocks: [.unknown(blockType: 8, typeSpecific: 1, body: [1, 2, 3])])
        let bytes = RTCPPacket.extendedReport(xr).bytes
        #expect(bytes == [0x80, 207, 0, 3, 0, 0, 0, 3, 8, 1, 0, 1, 1, 2, 3, 0])
        let padded = RTCPExtendedReport(senderSSRC: 3, blocks: [.unknown(blockType: 8, typeSpecific: 1, body: [1, 2, 3, 0])])
        #expect(try RTCPPacket.parseCompound(bytes) == [.extendedReport(padded)])
    }

    @Test(arguments: [
        // RRTR with block length 3 (must be 2).
        ([UInt8]([0x80, 207, 0, 5, 0, 0, 0, 1, 4, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), RTCPParseError.malformed(packetType: 207)),
        // DLRR with block length 2 (not a multiple of 3).
        ([0x80, 207, 0, 4, 0, 0, 0, 1, 5, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2], .malformed(packetType: 207)),
        // Block length runs past the packet.
        ([0x80, 207, 0, 3, 0, 0, 0, 1, 5, 0, 0, 3, 0, 0, 0, 1], .malformed(packetType: 207)),
        ([0x80, 207, 0, 2, 0, 0, 0, 1, 7, 0, 0, 9], .malformed(packetType: 207)),
        // Padding leaves two bytes: a block header cut short.
        ([0xA0, 207, 0, 2, 0, 0, 0, 1, 4, 0, 0, 2], .tooShort),
        // No SSRC.
        ([0x80, 207, 0, 0], .tooShort),
    ])
    func rejectsMalformed(bytes: [UInt8], expected: RTCPParseError) {
        #expect(parseRTCP(bytes) == .failure(expected))
    }

    @Test func everyTruncationFailsAndNothingTraps() {
        let xr = RTCPExtendedReport(senderSSRC: 5, blocks: [
            .receiverReferenceTime(RTCPReceiverReferenceTime(ntpTimestamp: 0x0102_0304_0506_0708)),
            .delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: [
                RTCPDelaySinceLastReceiverReportItem(ssrc: 1, lastReceiverReport: 2, delaySinceLastReceiverReport: 3)])),
        ])
        let bytes = RTCPPacket.extendedReport(xr).bytes
        for length in 1..<bytes.count {
            #expect(throws: RTCPParseError.self, "prefix \(length)") { try parseRTCP(Array(bytes.prefix(length))).get() }
            // The same prefix with its length field corrected parses or fails cleanly, never traps.
            var fixed = Array(bytes.prefix(length / 4 * 4))
            if fixed.count >= 4 {
                fixed[3] = UInt8(fixed.count / 4 - 1)
                _ = parseRTCP(fixed)
            }
        }
    }

    static let block = Gen<RTCPExtendedReportBlock>.oneOf(
        Gen<UInt64>.value().map { RTCPExtendedReportBlock.receiverReferenceTime(RTCPReceiverReferenceTime(ntpTimestamp: $0)) },
        zip(Gen<UInt32>.value(), Gen<UInt32>.value(), Gen<UInt32>.value())
            .map { RTCPDelaySinceLastReceiverReportItem(ssrc: $0, lastReceiverReport: $1, delaySinceLastReceiverReport: $2) }
            .array(of: 0...5)
            .map { RTCPExtendedReportBlock.delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: $0)) },
        zip(Gen<UInt8>.value(in: 6...255), Gen<UInt8>.value(), Gen<UInt8>.value().array(of: 0...3))
            .map { type, specific, words in
                RTCPExtendedReportBlock.unknown(blockType: type, typeSpecific: specific, body: words.flatMap { [$0, 0, $0, 1] })
            })

    @Test func roundTripProperty() async {
        await propertyCheck(count: 300, input: Gen<UInt32>.value(), Self.block.array(of: 0...6)) { ssrc, blocks in
            let packet = RTCPPacket.extendedReport(RTCPExtendedReport(senderSSRC: ssrc, blocks: blocks))
            let bytes = packet.bytes
            #expect(bytes.count % 4 == 0)
            #expect(parseRTCP(bytes) == .success([packet]))
            // In a compound after a receiver report, as the engine sends it.
            let compound = RTCPPacket.serializeCompound([.receiverReport(RTCPReceiverReport(ssrc: ssrc)), packet])
            #expect(parseRTCP(compound) == .success([.receiverReport(RTCPReceiverReport(ssrc: ssrc)), packet]))
        }
    }
}
