import Testing
@testable import Media

@Suite struct CodecTests {
    @Test func opusRoundTripAndDTXInPauses() throws {
        let speech = SpeechSource(frameCount: 250, seed: 3)   // 5 s
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        var talkingSizes: [Int] = [], pauseSizes: [Int] = []
        for index in 0..<speech.frameCount {
            let packet = try encoder.encode(speech.frame(index))
            #expect(try decoder.decode(packet) == 960)
            if speech.isTalking(at: index) { talkingSizes.append(packet.count) } else { pauseSizes.append(packet.count) }
        }
        #expect(!talkingSizes.isEmpty && !pauseSizes.isEmpty)
        // During talk spurts Opus sends real frames; in pauses DTX shrinks most frames to <= 2 bytes.
        let talkingAverage = Double(talkingSizes.reduce(0, +)) / Double(talkingSizes.count)
        #expect(talkingAverage > 40)
        let dtxShare = Double(pauseSizes.filter { $0 <= 2 }.count) / Double(pauseSizes.count)
        #expect(dtxShare > 0.6, "DTX share in pauses \(dtxShare)")
    }

    @Test func speechFollowsP59Means() {
        let speech = SpeechSource(frameCount: 50 * 600, seed: 11)   // 10 minutes of timings (no audio generated)
        let spurts = speech.spurts.map { Double($0.endFrame - $0.startFrame) / 50 }
        let mean = spurts.reduce(0, +) / Double(spurts.count)
        #expect(abs(mean - SpeechSource.meanTalkSpurt) < 0.15, "mean spurt \(mean) s")
        let talking = spurts.reduce(0, +) / 600
        #expect(abs(talking - 1.004 / (1.004 + 1.587)) < 0.06, "activity \(talking)")
    }

    @Test func opusRejectsWrongFrameSize() throws {
        let encoder = try OpusEncoder()
        #expect(throws: CodecError.self) { try encoder.encode([Int16](repeating: 0, count: 100)) }
    }

    @Test func vp8L1T3PatternKeyFrameAndDecode() throws {
        let camera = CameraSource(width: 320, height: 180, frameRate: 30, seed: 5)
        let encoder = try VP8Encoder(.init(width: 320, height: 180, frameRate: 30, targetBitrate: 300_000))
        let decoder = try VPXDecoder(codec: .vp8)
        var layers: [Int] = []
        var keys: [Bool] = []
        for index in 0..<12 {
            let frames = try encoder.encode(camera.frame(index), timestamp: UInt32(index * 3000), forceKeyFrame: index == 8)
            #expect(frames.count == 1)
            for frame in frames {
                layers.append(frame.temporalLayer)
                keys.append(frame.isKeyFrame)
                #expect(try decoder.decode(frame.data) == 1)
                #expect(decoder.lastSize == (320, 180))
            }
        }
        #expect(layers == [0, 2, 1, 2, 0, 2, 1, 2, 0, 2, 1, 2])
        #expect(keys == [true] + Array(repeating: false, count: 7) + [true] + Array(repeating: false, count: 3))
    }

    @Test func vp8RejectsBadConfigurationWithMessage() {
        #expect(throws: CodecError.self) { try VP8Encoder(.init(width: 321, height: 180, frameRate: 30, targetBitrate: 1000)) }
        do {
            let decoder = try VPXDecoder(codec: .vp8)
            try decoder.decode([0x01, 0x02, 0x03, 0xFF, 0x00])
            Issue.record("garbage decoded")
        } catch {
            #expect(error.message.count > 0)
            #expect(error.operation == "vpx_codec_decode")
        }
    }
}
