import Engine
import RTP
import Testing
@testable import Harness

@Suite("VP8 payload summary")
struct VP8PayloadSummaryTests {
    /// Whether the summary of `payload` says what `VP8PayloadDescriptor(parsing:)` with
    /// `encodedLength` and `MediaFrameInfo(vp8:payload:)` say (both nil when it does not parse);
    /// `parsed` tells whether it parsed.
    private static func agrees(_ payload: [UInt8], parsed: inout Bool) -> Bool {
        payload.withUnsafeBytes { bytes in
            let summary = VP8PayloadSummary(payload: bytes)
            guard let descriptor = try? VP8PayloadDescriptor(parsing: bytes) else {
                parsed = false
                return summary == nil
            }
            parsed = true
            guard let summary else { return false }
            return summary.descriptorLength == descriptor.encodedLength
                && summary.info == MediaFrameInfo(vp8: descriptor, payload: bytes)
        }
    }

    @Test("agrees with the descriptor parser on every payload of up to 2 bytes")
    func shortPayloads() {
        var mismatches: [[UInt8]] = []
        var parsed = false
        var parsedCount = 0
        for first in 0...255 {
            if !Self.agrees([UInt8(first)], parsed: &parsed) { mismatches.append([UInt8(first)]) }
            for second in 0...255 where !Self.agrees([UInt8(first), UInt8(second)], parsed: &parsed) {
                mismatches.append([UInt8(first), UInt8(second)])
            }
            if parsed { parsedCount += 1 }
        }
        #expect(Self.agrees([], parsed: &parsed) && !parsed)
        #expect(mismatches.count == 0, "first mismatches: \(Array(mismatches.prefix(5)))")
        #expect(parsedCount > 0)
    }

    @Test("agrees with the descriptor parser on random payloads of 3 to 8 bytes")
    func randomPayloads() {
        var random = SeededGenerator(seed: 7)
        var mismatches: [[UInt8]] = []
        var parsed = 0
        for _ in 0..<200_000 {
            let count = 3 + Int(random.next() % 6)
            var payload = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Most payloads set X, so that the optional fields are exercised.
            if random.next() % 4 != 0 { payload[0] |= 0x80 }
            var didParse = false
            if !Self.agrees(payload, parsed: &didParse) { mismatches.append(payload) }
            if didParse { parsed += 1 }
        }
        #expect(mismatches.count == 0, "first mismatches: \(Array(mismatches.prefix(5)))")
        // Both outcomes were compared, not only failures to parse.
        #expect(parsed > 100_000)
    }

    @Test("agrees with the descriptor parser on random payloads of the common layout (I with 15 bits, L, T)")
    func commonLayoutPayloads() {
        var random = SeededGenerator(seed: 8)
        var mismatches: [[UInt8]] = []
        var parsed = 0
        for _ in 0..<100_000 {
            let count = 4 + Int(random.next() % 6)
            var payload = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            payload[0] |= 0x80
            // I, L and T, K clear (and sometimes set, off the fast path); random reserved bits.
            payload[1] = (random.next() % 8 == 0 ? 0xF0 : 0xE0) | (payload[1] & 0x0F)
            if random.next() % 8 != 0 { payload[2] |= 0x80 }
            var didParse = false
            if !Self.agrees(payload, parsed: &didParse) { mismatches.append(payload) }
            if didParse { parsed += 1 }
        }
        #expect(mismatches.count == 0, "first mismatches: \(Array(mismatches.prefix(5)))")
        #expect(parsed > 50_000)
    }

    @Test("a synthetic key frame's first packet: descriptor length, key frame, layer 0, picture start")
    func syntheticKeyFrame() throws {
        let descriptor = VP8PayloadDescriptor(isNonReference: false, isStartOfPartition: true, partitionIndex: 0, pictureID: 300,
                                              pictureIDIs15Bit: true, tl0PictureIndex: 4, temporalLayerID: 0, isLayerSync: false)
        let payload = descriptor.bytes + [0x10] + [UInt8](repeating: 0, count: ProbeHeader.size)
        let summary = try #require(payload.withUnsafeBytes { VP8PayloadSummary(payload: $0) })
        #expect(summary.descriptorLength == 6)
        #expect(summary.info.isKeyFrame && summary.info.isPictureStart && summary.info.temporalLayer == 0)
        #expect(summary.info.pictureID == 300 && summary.info.tl0PictureIndex == 4)
    }
}
