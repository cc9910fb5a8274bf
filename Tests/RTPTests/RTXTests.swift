import Testing
@testable import RTP

@Suite struct RTXTests {
    @Test func wrapAndUnwrapRoundTrip() throws {
        let original = try RTPPacketBuilder(
            marker: true, payloadType: 96, sequenceNumber: SequenceNumber(65535), timestamp: 90_000, ssrc: 0x1111,
            csrcs: [7], extensions: [RTPHeaderExtension(id: 1, value: [1, 2])], paddingLength: 5
        ).build(payload: [10, 20, 30])
        let rtx = try RTX.wrap(original, ssrc: 0x2222, payloadType: 97, sequenceNumber: SequenceNumber(0))
        let header = try RTPHeader(parsing: rtx)
        #expect(header.ssrc == 0x2222 && header.payloadType == 97 && header.sequenceNumber.rawValue == 0)
        #expect(header.marker && header.timestamp == 90_000 && header.csrcCount == 1 && !header.hasPadding)
        #expect(Array(rtx[header.payloadRange]) == [0xFF, 0xFF, 10, 20, 30])  // OSN 65535 first
        #expect(extensionElements(of: rtx) == [RTPHeaderExtension(id: 1, value: [1, 2])])

        let restored = try RTX.unwrap(rtx, originalSSRC: 0x1111, originalPayloadType: 96)
        let unpadded = try RTPPacketBuilder(
            marker: true, payloadType: 96, sequenceNumber: SequenceNumber(65535), timestamp: 90_000, ssrc: 0x1111,
            csrcs: [7], extensions: [RTPHeaderExtension(id: 1, value: [1, 2])]
        ).build(payload: [10, 20, 30])
        #expect(restored == unpadded)
    }

    @Test func unwrapRejectsShortPayload() throws {
        let rtx = try RTPPacketBuilder(payloadType: 97, sequenceNumber: SequenceNumber(1), timestamp: 0, ssrc: 1).build(payload: [1])
        #expect(throws: RTPParseError.tooShort) { try RTX.unwrap(rtx, originalSSRC: 1, originalPayloadType: 96) }
        #expect(throws: RTPParseError.badVersion) { try RTX.unwrap([UInt8](repeating: 0, count: 20), originalSSRC: 1, originalPayloadType: 96) }
    }

    @Test func wrapIntoSmallBufferFails() throws {
        let original = try RTPPacketBuilder(payloadType: 96, sequenceNumber: SequenceNumber(1), timestamp: 0, ssrc: 1).build(payload: [1, 2])
        var small = [UInt8](repeating: 0, count: 15)
        let result: Result<Int, RTPBuildError> = original.withUnsafeBytes { source in
            small.withUnsafeMutableBytes { out in
                do throws(RTPBuildError) { return .success(try RTX.wrap(source, ssrc: 2, payloadType: 97, sequenceNumber: SequenceNumber(3), into: out)) } catch {
                    return .failure(error)
                }
            }
        }
        #expect(result == .failure(.bufferTooSmall(needed: 16)))
    }
}
