import Testing
@testable import Media

/// The merged session cursor: time order, every packet once, events applied.
@Suite struct SessionCursorTests {
    @Test func mergesAllStreamsInTimeOrderAndAppliesMute() throws {
        let spec = SynthesisSpec(participants: 3, kind: .meeting, device: .mobile, durationMicros: 2_000_000, seed: 77)
        let reader = try WorkloadReader(path: TestFiles.synthesize(spec).path)
        let manifest = reader.manifest
        let mute = try #require(manifest.events.first { $0.kind == .mute })
        let unmute = try #require(manifest.events.first { $0.kind == .unmute })

        var raw = try reader.sessionPackets(applyingEvents: false)
        var rawCount = 0
        var last = Int64.min
        while let item = try raw.next() {
            #expect(item.packet.captureTimeMicros >= last)
            last = item.packet.captureTimeMicros
            rawCount += 1
        }
        var expected = 0
        for participant in manifest.participants {
            for stream in participant.streams {
                for encoding in stream.encodings {
                    var cursor = try reader.packets(participant: participant.id, stream: stream.id,
                                                    rid: stream.encodings.count == 1 ? nil : encoding.rid)
                    while try cursor.next() != nil { expected += 1 }
                }
            }
        }
        #expect(rawCount == expected)

        var session = try reader.sessionPackets()
        var muted = 0, count = 0
        while let item = try session.next() {
            count += 1
            if item.participant == mute.participant && item.stream == mute.stream
                && (mute.timeMicros..<unmute.timeMicros).contains(item.packet.captureTimeMicros) { muted += 1 }
        }
        #expect(muted == 0)
        #expect(count < rawCount)
    }
}
