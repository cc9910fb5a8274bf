import PropertyBased
import Testing
@testable import RTP

@Suite struct RTCPTransportFeedbackTests {
    /// pion/rtcp transport_layer_cc_test.go, TestTransportLayerCC_Unmarshal "example6":
    /// 2-bit vector then run-length of not-received, one large delta, 1 byte of RTCP padding.
    @Test func knownAnswerParseFromPion() throws {
        let bytes: [UInt8] = [0xAF, 0xCD, 0x00, 0x07, 0x9B, 0x74, 0xF6, 0x1F, 0x93, 0x71, 0xDC, 0xBC, 0x85, 0x3C, 0x00, 0x09,
                              0x63, 0xF9, 0x16, 0xB3, 0xD5, 0x52, 0x00, 0x30, 0x9B, 0xAA, 0x6A, 0xAA, 0x7B, 0x01, 0x09, 0x01]
        guard case .transportFeedback(let feedback) = try RTCPPacket.parseCompound(bytes).first else { Issue.record("not TWCC"); return }
        #expect(feedback.senderSSRC == 2_608_133_663 && feedback.mediaSSRC == 2_473_712_828)
        #expect(feedback.baseSequenceNumber == 34108)
        #expect(feedback.packets.count == 9)
        #expect(feedback.referenceTimeTicks == 6_551_830)
        #expect(feedback.feedbackPacketCount == 179)
        #expect(feedback.packets.map(\.sequenceNumber) == Array(34108...34116))
        #expect(feedback.packets.map(\.arrivalDeltaMicroseconds) == [38750, 42500, 26500, 42500, 30750, nil, 66250, nil, nil])
        #expect(feedback.arrivalTimesMicroseconds[0].arrivalMicroseconds == Int64(6_551_830 * 64_000 + 38750))
    }

    static func feedback(base: UInt16, reference: Int32, count: UInt8, deltas: [Int64?]) -> RTCPTransportFeedback {
        RTCPTransportFeedback(
            senderSSRC: 4_195_875_351, mediaSSRC: 423_483_579, referenceTimeTicks: reference, feedbackPacketCount: count,
            packets: deltas.enumerated().map { RTCPTransportFeedbackPacket(sequenceNumber: base &+ UInt16($0.offset), arrivalDeltaMicroseconds: $0.element) })
    }

    /// pion/rtcp TestTransportLayerCC_Marshal "example4" (run-length chunk) and "example5" (1-bit vector):
    /// our chunk choice yields the same bytes.
    @Test func knownAnswerWriteMatchesPion() {
        let runLength = Self.feedback(base: 4, reference: 1_074_030, count: 1, deltas: [19000, 9000, 9000, 4000, 3000, 3000, 4000])
        #expect(RTCPPacket.transportFeedback(runLength).bytes == [
            0xAF, 0xCD, 0x00, 0x07, 0xFA, 0x17, 0xFA, 0x17, 0x19, 0x3D, 0xD8, 0xBB, 0x00, 0x04, 0x00, 0x07,
            0x10, 0x63, 0x6E, 0x01, 0x20, 0x07, 0x4C, 0x24, 0x24, 0x10, 0x0C, 0x0C, 0x10, 0x00, 0x00, 0x03,
        ])
        let vector = Self.feedback(base: 1, reference: 1_074_029, count: 0, deltas: [4000, 3000, 3000, nil, 4000] + Array(repeating: nil, count: 9))
        #expect(RTCPPacket.transportFeedback(vector).bytes == [
            0xAF, 0xCD, 0x00, 0x06, 0xFA, 0x17, 0xFA, 0x17, 0x19, 0x3D, 0xD8, 0xBB, 0x00, 0x01, 0x00, 0x0E,
            0x10, 0x63, 0x6D, 0x00, 0xBA, 0x00, 0x10, 0x0C, 0x0C, 0x10, 0x00, 0x02,
        ])
    }

    @Test func chunkChoice() {
        #expect(RTCPTransportFeedback.chunks(for: Array(repeating: 1, count: 20)) == [0x2000 | 20])
        #expect(RTCPTransportFeedback.chunks(for: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]) == [0xAAAA])
        #expect(RTCPTransportFeedback.chunks(for: [2, 1, 0]) == [0xC000 | 0x2000 | 0x0400])
        #expect(RTCPTransportFeedback.chunks(for: Array(repeating: 0, count: 9000)) == [0x1FFF, 9000 - 0x1FFF])
        #expect(RTCPTransportFeedback.chunks(for: [2, 2, 2, 2, 2, 2, 2, 2, 1]) == [0x4000 | 8, 0x2000 | 1])
    }

    @Test func builderFillsGapsAndUsesLargeDeltas() {
        let feedback = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, feedbackPacketCount: 0,
            arrivals: [(65534, 128_100), (1, 128_000), (3, 200_000), (2, nil)])
        #expect(feedback.referenceTimeTicks == 2)
        #expect(feedback.baseSequenceNumber == 65534)
        #expect(feedback.packets.map(\.sequenceNumber) == [65534, 65535, 0, 1, 2, 3])
        // 128_100 rounds to tick 512 (128_000 µs) → delta 0 from reference 128_000; 128_000 → 0; 200_000 → 288 ticks.
        #expect(feedback.packets.map(\.arrivalDeltaMicroseconds) == [0, nil, nil, 0, nil, 72000])
        #expect(feedback.statusSymbols == [1, 0, 0, 1, 0, 2])
    }

    @Test func referenceTimeWrapsTo24Bits() {
        let ticks: Int64 = 0x80_0005  // beyond the signed 24-bit range
        let feedback = RTCPTransportFeedback(senderSSRC: 1, mediaSSRC: 2, feedbackPacketCount: 0,
                                             arrivals: [(1, ticks * 64_000 + 500), (2, ticks * 64_000 + 1_000)])
        #expect(feedback.referenceTimeTicks == -0x80_0000 + 5)
        #expect(feedback.packets.map(\.arrivalDeltaMicroseconds) == [500, 500])
        #expect(parseRTCP(RTCPPacket.transportFeedback(feedback).bytes) == .success([.transportFeedback(feedback)]))
    }

    @Test func builderStopsWhenDeltaOverflows() {
        let feedback = RTCPTransportFeedback(senderSSRC: 1, mediaSSRC: 2, feedbackPacketCount: 0,
                                             arrivals: [(10, 0), (11, 9_000_000), (12, 9_000_250)])
        #expect(feedback.packets.count == 1)
    }

    @Test func roundTripProperty() async {
        let arrival = zip(Gen<UInt16>.value(in: 1...3), Gen<Int64>.value(in: -20_000...80_000).optional(valueRate: 0.8))
        await propertyCheck(count: 300, input: Gen<UInt16>.value(), Gen<Int64>.value(in: 0...100_000_000_000), arrival.array(of: 1...200)) { base, start, steps in
            var sequence = base
            var time = start
            var arrivals: [(sequenceNumber: UInt16, arrivalMicroseconds: Int64?)] = []
            for (gap, jump) in steps {
                if let jump { time += jump }
                arrivals.append((sequence, jump == nil ? nil : time))
                sequence &+= gap
            }
            let feedback = RTCPTransportFeedback(senderSSRC: 5, mediaSSRC: 6, feedbackPacketCount: 7, arrivals: arrivals)
            #expect(parseRTCP(RTCPPacket.transportFeedback(feedback).bytes) == .success([.transportFeedback(feedback)]))
            // Every reported arrival is within half a tick of the true one.
            let truth = Dictionary(arrivals.map { ($0.sequenceNumber, $0.arrivalMicroseconds) }, uniquingKeysWith: { first, _ in first })
            for (sequence, reported) in feedback.arrivalTimesMicroseconds {
                guard let expected = truth[sequence] else {
                    #expect(reported == nil)
                    continue
                }
                #expect((reported == nil) == (expected == nil))
                if let reported, let expected { #expect(abs(reported - expected) <= 125) }
            }
        }
    }
}
