import Testing
@testable import RTP

@Suite struct RTCPCompoundTests {
    @Test func paddedLastPacketParses() throws {
        // RR (no blocks) then PLI with P bit and 4 bytes of padding (count in the last byte).
        let bytes: [UInt8] = [0x80, 201, 0, 1, 0, 0, 0, 9,
                              0xA1, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4]
        #expect(try RTCPPacket.parseCompound(bytes) == [
            .receiverReport(RTCPReceiverReport(ssrc: 9)),
            .pli(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
        ])
        let headers = bytes.withUnsafeBytes { raw in RTCPCompoundIterator(raw).compactMap { try? $0.get() } }
        #expect(headers.map(\.packetType) == [201, 206])
        #expect(headers.last?.bodyRange == 12..<20)
        #expect(headers.last?.hasPadding == true)
    }

    @Test func iteratorStopsAfterFirstError() {
        let bytes: [UInt8] = [0x80, 201, 0, 1, 0, 0, 0, 9, 0x40, 201, 0, 1, 0, 0, 0, 9, 0x80, 201, 0, 1, 0, 0, 0, 9]
        let results = bytes.withUnsafeBytes { raw in Array(RTCPCompoundIterator(raw)) }
        #expect(results.count == 2)
        #expect(results.last.map { if case .failure(.badVersion) = $0 { true } else { false } } == true)
    }

    @Test func sdesWithSeveralItemsAndChunks() throws {
        let sdes = RTCPSourceDescription(chunks: [
            RTCPSourceDescriptionChunk(ssrc: 1, items: [
                RTCPSourceDescriptionItem(type: 1, value: Array("cname-1".utf8)),
                RTCPSourceDescriptionItem(type: 6, value: Array("tool".utf8)),
            ]),
            RTCPSourceDescriptionChunk(ssrc: 2, items: []),
            RTCPSourceDescriptionChunk(ssrc: 3, cname: "xyz"),
        ])
        let bytes = RTCPPacket.sdes(sdes).bytes
        #expect(bytes.count % 4 == 0)
        #expect(bytes[0] & 0x1F == 3)
        #expect(try RTCPPacket.parseCompound(bytes) == [.sdes(sdes)])
        #expect(sdes.chunks.map(\.cname) == ["cname-1", nil, "xyz"])
    }

    @Test func reportBlockCumulativeLostIsSigned24Bit() throws {
        for lost in [Int32(0), 1, -1, 0x7F_FFFF, -0x80_0000] {
            let block = RTCPReportBlock(ssrc: 1, fractionLost: 0, cumulativeLost: lost, extendedHighestSequenceNumber: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0)
            let packet = RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: 2, reportBlocks: [block]))
            #expect(try RTCPPacket.parseCompound(packet.bytes) == [packet])
        }
        let clamped = RTCPReportBlock(ssrc: 1, fractionLost: 0, cumulativeLost: 0x100_0000, extendedHighestSequenceNumber: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0)
        guard case .receiverReport(let report) = try RTCPPacket.parseCompound(RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: 2, reportBlocks: [clamped])).bytes).first
        else { Issue.record("not RR"); return }
        #expect(report.reportBlocks.first?.cumulativeLost == 0x7F_FFFF)
    }

    @Test func rtpArrayParseReportsTypedError() {
        #expect(throws: RTPParseError.tooShort) { try RTPHeader(parsing: [UInt8]()) }
        #expect(throws: PayloadDescriptorParseError.tooShort) { try VP9PayloadDescriptor(parsing: [UInt8]()) }
        #expect(throws: RTCPParseError.tooShort) { try RTCPPacket.parseCompound([UInt8]([0x80])) }
    }
}
