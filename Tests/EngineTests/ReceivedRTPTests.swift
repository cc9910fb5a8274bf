@testable import Engine
import RTP
import Testing

/// `ReceivedRTP` (one pass over the fixed header and the extension block) against what it
/// replaced on the receive path: `RTPHeader(parsing:)`, then `ReceivedExtensions(packet:header:)`.
@Suite struct ReceivedRTPTests {
    /// A random packet of up to 60 bytes that is mostly well formed: version 2 most of the time,
    /// CSRC counts, extension blocks of the one-byte, two-byte and other profiles with random
    /// lengths and element ids (the negotiated ones come up often), padding counts.
    private static func randomPacket(_ random: inout SeededGenerator) -> [UInt8] {
        let count = Int(random.next() % 61)
        var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        guard count > 0 else { return bytes }
        if random.next() % 8 != 0 { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
        if random.next() % 4 != 0 { bytes[0] = (bytes[0] & 0xE0) | 0x10 | UInt8(random.next() % 3) }  // X, few CSRCs
        let extensionAt = 12 + 4 * Int(bytes[0] & 0x0F)
        if extensionAt + 4 <= count {
            switch random.next() % 3 {
            case 0: (bytes[extensionAt], bytes[extensionAt + 1]) = (0xBE, 0xDE)
            case 1: (bytes[extensionAt], bytes[extensionAt + 1]) = (0x10, UInt8(random.next() % 16))
            default: break
            }
            // Mostly a block that fits in the packet (the rest are cut short or rejected).
            let fitting = UInt64((count - extensionAt - 4) / 4)
            if random.next() % 4 != 0 { (bytes[extensionAt + 2], bytes[extensionAt + 3]) = (0, UInt8(random.next() % (fitting + 1))) }
            for index in (extensionAt + 4)..<count where random.next() % 3 == 0 {
                let ids: [UInt8] = [0, 1, 2, 3, 4, 5, 10, 15]  // padding, the negotiated ids, one-byte stop
                let id = ids[Int(random.next() % 8)]
                bytes[index] = bytes[extensionAt] == 0xBE ? (id << 4) | (bytes[index] & 0x0F) : id
            }
        }
        if random.next() % 2 == 0 { bytes[count - 1] = UInt8(random.next() % 8) }
        return bytes
    }

    @Test func parsesRandomPacketsAsTheHeaderParseAndExtensionWalkDid() {
        var random = SeededGenerator(seed: 23)
        var accepted = 0
        var withExtensions = 0
        for _ in 0..<100_000 {
            let bytes = Self.randomPacket(&random)
            bytes.withUnsafeBytes { raw in
                let fused = ReceivedRTP(parsing: raw)
                guard let header = try? RTPHeader(parsing: raw) else {
                    #expect(fused == nil, "\(bytes)")
                    return
                }
                guard let fused else {
                    Issue.record("rejected \(bytes)")
                    return
                }
                accepted += 1
                let extensions = ReceivedExtensions(packet: raw, header: header)
                #expect(fused.ssrc == header.ssrc)
                #expect(fused.timestamp == header.timestamp)
                #expect(fused.sequenceNumber == header.sequenceNumber.rawValue)
                #expect(fused.payloadType == header.payloadType)
                #expect(fused.marker == header.marker)
                #expect(fused.hasExtensionBlock == (header.extensionBlock != nil))
                #expect(fused.payloadRange == header.payloadRange)
                #expect(fused.payloadLength == header.payloadLength)
                #expect(fused.extensions.absSendTime == extensions.absSendTime)
                #expect(fused.extensions.transportWideCC == extensions.transportWideCC)
                #expect(fused.extensions.audioLevel == extensions.audioLevel)
                let found = [extensions.absSendTime, extensions.transportWideCC, extensions.audioLevel]
                if found.contains(where: { $0 != nil }) { withExtensions += 1 }
            }
        }
        // The comparison covers accepted packets with extensions found, not only rejections.
        #expect(accepted > 10_000)
        #expect(withExtensions > 1_000)
    }
}
