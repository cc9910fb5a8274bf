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

    @Test func screenShareIsSilentBeforeItStartsAndBetweenStopAndStart() {
        let events = [WorkloadEvent(timeMicros: 0, kind: .join, participant: "a"),
                      WorkloadEvent(timeMicros: 1_000_000, kind: .screenShareStart, participant: "a", stream: "s"),
                      WorkloadEvent(timeMicros: 2_000_000, kind: .screenShareStop, participant: "a", stream: "s"),
                      WorkloadEvent(timeMicros: 2_500_000, kind: .screenShareStart, participant: "a", stream: "s"),
                      WorkloadEvent(timeMicros: 3_000_000, kind: .mute, participant: "a", stream: "m")]
        let manifest = WorkloadManifest(durationMicros: 4_000_000, tracks: [], participants: [], events: events)
        let screen = WorkloadSessionCursor.silentIntervals(manifest, participant: "a", stream: "s")
        #expect(screen.map { [$0.0, $0.1] } == [[.min, 0], [.min, 1_000_000], [2_000_000, 2_500_000]])
        let microphone = WorkloadSessionCursor.silentIntervals(manifest, participant: "a", stream: "m")
        #expect(microphone.map { [$0.0, $0.1] } == [[.min, 0], [3_000_000, .max]], "screen events concern their stream only")
    }
}
