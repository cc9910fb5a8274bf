import ControlAPI
import Testing

/// The tap framing (docs/control-api.md, "Taps"): what the server writes parses back field for
/// field, and datagrams that are not frames fail with the offset of the problem.
@Suite struct TapFrameTests {
    @Test func mediaAndEventFramesRoundTrip() throws {
        let media = TapFrame(kind: .media, isRetransmission: true, encodingIndex: 2, sequence: 0xFFFF_FFFE,
                             timeMicros: 1 << 40 | 7, producer: 300_000, transport: 65_537, body: [0x80, 1, 2, 3])
        let parsedMedia = try TapFrame(parsing: media.bytes)
        #expect(parsedMedia == media)
        #expect(media.bytes.count == TapFrame.headerSize + 4)
        // Big-endian fields at the documented offsets.
        #expect(Array(media.bytes[0..<4]) == [1, 1, 1, 2])
        #expect(Array(media.bytes[4..<8]) == [0xFF, 0xFF, 0xFF, 0xFE])
        #expect(Array(media.bytes[20..<24]) == [0, 1, 0, 1])

        for event in TapFrame.Event.allCases {
            let frame = TapFrame(kind: .event, event: event, sequence: 9, timeMicros: 123, producer: 4, transport: 5, body: Array("{}".utf8))
            let parsed = try TapFrame(parsing: frame.bytes)
            #expect(parsed == frame)
            #expect(parsed.bytes[3] == event.rawValue)
        }
    }

    @Test func garbageNamesTheOffset() {
        let valid = TapFrame(kind: .media, sequence: 0, timeMicros: 0, producer: 0, transport: 0, body: [0x80]).bytes
        func offset(_ bytes: [UInt8]) -> Int? {
            do { _ = try TapFrame(parsing: bytes) } catch { return error.offset }
            return nil
        }
        #expect(offset(Array(valid.prefix(10))) == 10)
        var version = valid
        version[0] = 2
        #expect(offset(version) == 0)
        var kind = valid
        kind[1] = 9
        #expect(offset(kind) == 1)
        var flags = valid
        flags[2] = 0x80
        #expect(offset(flags) == 2)
        #expect(offset(Array(valid.prefix(TapFrame.headerSize))) == TapFrame.headerSize)  // media without a packet
        var event = TapFrame(kind: .event, event: .producerCreated, sequence: 0, timeMicros: 0, producer: 0, transport: 0, body: []).bytes
        #expect(offset(event) == nil)
        event[3] = 0
        #expect(offset(event) == 3)
    }
}
