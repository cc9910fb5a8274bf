@testable import Engine
import RTP
import Testing

/// `VP8PacketReading` (one pass over a VP8 payload) against what it replaced on the forwarding
/// path: `VP8PayloadDescriptor(parsing:)`, then `MediaFrameInfo(vp8:payload:)` and the VP8
/// offsets `ForwardLayout` found from the descriptor.
@Suite struct VP8PacketReadingTests {
    /// The replaced reading: frame information and the picture id / TL0PICIDX offsets.
    private static func model(_ payload: UnsafeRawBufferPointer) -> (MediaFrameInfo, Int?, Int?) {
        guard let descriptor = try? VP8PayloadDescriptor(parsing: payload) else { return (MediaFrameInfo(), nil, nil) }
        var offset = 2
        var pictureIDOffset: Int?
        if descriptor.pictureID != nil {
            pictureIDOffset = offset
            offset += descriptor.pictureIDIs15Bit ? 2 : 1
        }
        let tl0Offset = descriptor.tl0PictureIndex != nil ? offset : nil
        return (MediaFrameInfo(vp8: descriptor, payload: payload), pictureIDOffset, tl0Offset)
    }

    /// Random payloads of 0 to 9 bytes (every combination of the X, S, PID, I, L, T, K and M
    /// bits comes up, as do payloads cut short inside the descriptor) read the same both ways.
    @Test func readsRandomPayloadsAsTheDescriptorParseDid() {
        var random = SeededGenerator(seed: 11)
        var parsed = 0
        var keyFrames = 0
        for _ in 0..<50_000 {
            let count = Int(random.next() % 10)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.withUnsafeBytes { payload in
                let reading = VP8PacketReading(payload: payload)
                let (info, pictureIDOffset, tl0Offset) = Self.model(payload)
                #expect(reading.info == info, "payload \(bytes)")
                #expect(reading.pictureIDOffset == pictureIDOffset, "payload \(bytes)")
                #expect(reading.tl0PictureIndexOffset == tl0Offset, "payload \(bytes)")
                if (try? VP8PayloadDescriptor(parsing: payload)) != nil { parsed += 1 }
                if info.isKeyFrame { keyFrames += 1 }
            }
        }
        // Both outcomes of the parse and of the key-frame test were exercised.
        #expect(parsed > 10_000 && parsed < 49_000)
        #expect(keyFrames > 500)
    }

    /// A written descriptor with every field reads back with its offsets.
    @Test func readsAWrittenDescriptor() {
        let descriptor = VP8PayloadDescriptor(isStartOfPartition: true, pictureID: 0x1234, pictureIDIs15Bit: true,
                                              tl0PictureIndex: 9, temporalLayerID: 2, isLayerSync: true)
        let payload = descriptor.bytes + [0x00, 0xFF]  // P = 0: a key frame
        payload.withUnsafeBytes { raw in
            let reading = VP8PacketReading(payload: raw)
            #expect(reading.info.isKeyFrame)
            #expect(reading.info.isFrameStart)
            #expect(reading.info.temporalLayer == 2)
            #expect(reading.info.isLayerSync)
            #expect(reading.info.pictureID == 0x1234)
            #expect(reading.info.tl0PictureIndex == 9)
            #expect(reading.pictureIDOffset == 2)
            #expect(reading.tl0PictureIndexOffset == 4)
        }
    }
}
