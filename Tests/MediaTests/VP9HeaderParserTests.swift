import Testing
@testable import Media

/// The VP9 header parser on damaged frames: it never traps, and whenever it parses a shown
/// frame, the hidden rewrite parses to the same frame with `show_frame` 0.
@Suite struct VP9HeaderParserTests {
    @Test func damagedFramesNeverTrapAndHidingKeepsTheHeader() throws {
        let encoder = try VP9Encoder(VP9Encoder.Configuration(width: 320, height: 180, frameRate: 30, spatialBitrates: [80_000, 200_000]))
        let camera = CameraSource(width: 320, height: 180, frameRate: 30, seed: 2)
        var frames: [[UInt8]] = []
        for index in 0..<8 { frames += try encoder.encode(camera.frame(index), timestamp: UInt32(index * 3_000)).map(\.data) }
        // The parser's reference-slot state before each frame, in decoding order.
        var states: [VP9HeaderParser] = []
        var sequence = VP9HeaderParser()
        for frame in frames {
            states.append(sequence)
            #expect(sequence.parse(frame) != nil)
        }
        var state: UInt64 = 0xF00D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var parsed = 0, hidden = 0
        for round in 0..<2_000 {
            var frame = frames[round % frames.count]
            switch round % 3 {
            case 0: for _ in 0..<(1 + next() % 4) { frame[next() % min(frame.count, 24)] = UInt8(truncatingIfNeeded: next()) }
            case 1: frame = Array(frame.prefix(next() % 24))
            default: break
            }
            _ = VPXFrameHeader.size(of: frame, vp9: true)
            _ = VPXFrameHeader.size(of: frame, vp9: false)
            var parser = states[round % frames.count]
            guard let header = parser.parse(frame) else { continue }
            parsed += 1
            guard header.showFrame else { continue }
            var again = states[round % frames.count]
            let reparsed = again.parse(VP9HeaderParser.hidden(frame, header: header))
            let rewritten = try #require(reparsed, "round \(round)")
            #expect(!rewritten.showFrame && rewritten.width == header.width && rewritten.height == header.height
                    && rewritten.isKeyFrame == header.isKeyFrame, "round \(round)")
            hidden += 1
        }
        #expect(parsed > 500 && hidden > 500, "parsed \(parsed), hidden \(hidden)")
    }
}
