import Engine
import Foundation
import Harness
import Media
import Testing

/// Trials driven by a recorded workload file: real VP8/Opus from the manifest, measured from
/// what arrives, deterministic, and with clear errors for bad files.
@Suite struct RecordedWorkloadTrialTests {
    @Test func recordedTrialMeasuresFramesAndPackets() throws {
        let result = try TrialRunner().run(RecordedFixtures.spec(RecordedFixtures.meeting))
        // 3 participants, each subscribing to 2 others' audio and video.
        #expect(result.metrics["participants"] == 3)
        #expect(result.metrics["packetDelay.count", default: 0] > 500)
        #expect(result.metrics["frameLatency.count", default: 0] > 100)
        // 4g: 40-ish ms one way each hop; latency is positive and below a second.
        let delay = try #require(result.metrics["packetDelay.p50"])
        #expect(delay > 20 && delay < 1_000)
        let latency = try #require(result.metrics["frameLatency.p50"])
        #expect(latency > 20 && latency < 1_000)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
    }

    @Test func sameSeedSameResultOtherSeedDiffers() throws {
        let spec = try RecordedFixtures.spec(RecordedFixtures.meeting, seconds: 2, seed: 9)
        let first = try TrialRunner().run(spec)
        let second = try TrialRunner().run(spec)
        #expect(first == second)
        var other = spec
        other.seed = 10
        #expect(try TrialRunner().run(other).metrics != first.metrics)
    }

    @Test func truncatedFileNamesFileAndOffset() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: RecordedFixtures.meeting))
        let path = RecordedFixtures.temporaryPath("truncated.sfuw")
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TrialError.self) { try TrialRunner().run(RecordedFixtures.spec(path)) }
        let text = error?.description ?? ""
        #expect(text.contains(path) && text.contains("byte \(bytes.count - 10 - 24)") && text.contains("truncated"))
    }

    @Test func corruptRecordMidTrialNamesFileAndOffset() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: RecordedFixtures.meeting)))
        let reader = try WorkloadReader(path: RecordedFixtures.meeting)
        let track = try #require(reader.manifest.tracks.first { $0.kind == .video })
        // The sync byte of a record about half way through the track.
        var cursor = try reader.packets(track: track.id)
        for _ in 0..<(track.packetCount / 2) { _ = try cursor.next() }
        let offset = cursor.byteOffset
        bytes[Int(offset)] = 0x00
        let path = RecordedFixtures.temporaryPath("corrupt.sfuw")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TrialError.self) { try TrialRunner().run(RecordedFixtures.spec(path)) }
        let text = error?.description ?? ""
        #expect(text.contains(path) && text.contains("byte \(offset)") && text.contains("sync byte"))
    }

    /// A VP9 SVC meeting (L3T3, real libvpx output) runs through the engine's SVC consumers: the
    /// subscribers decode pictures, and the allocator moves them across spatial layers.
    @Test func vp9SVCMeetingsRunThroughSVCConsumers() throws {
        let path = RecordedFixtures.temporaryPath("vp9.sfuw")
        let spec = SynthesisSpec(participants: 2, kind: .meeting, device: .desktop, durationMicros: 3_000_000, seed: 5,
                                 maxDistinctSources: 1, keyFrameIntervalSeconds: 1, joinSpreadMicros: 0, videoCodec: .vp9)
        _ = try WorkloadSynthesizer(spec: spec).write(to: path)
        let result = try TrialRunner().run(RecordedFixtures.spec(path, network: "lossless"))
        #expect(result.metrics["videoFramesDecoded", default: 0] > 60)
        #expect(result.metrics["frameLatency.count", default: 0] > 60)
        #expect(result.metrics["lossAfterRecovery", default: 1] == 0)
        #expect(!(result.series["spatialLayer"] ?? []).isEmpty)
    }

    @Test func recordingASyntheticMeetingIsRefused() throws {
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 2), network: try NetworkScenario.preset(named: "lossless"),
                             duration: .seconds(1), seed: 1)
        let error = #expect(throws: TrialError.self) { try TrialRunner().run(spec, recordingTo: RecordedFixtures.temporaryPath("x.sfuw")) }
        #expect(error?.description.contains("needs a workload file") == true)
    }
}

/// The manifest's events reach the engine and the subscribers: a muted camera is a pause, not a freeze.
@Suite struct RecordedWorkloadEventTests {
    @Test func muteIsAPauseNotAFreeze() throws {
        let manifest = try WorkloadReader(path: RecordedFixtures.meeting).manifest
        let mute = try #require(manifest.events.first { $0.kind == .mute })
        let unmute = try #require(manifest.events.first { $0.kind == .unmute })
        // The mute lasts long enough to be a freeze if it were counted as one.
        #expect(unmute.timeMicros - mute.timeMicros >= 300_000)
        let result = try TrialRunner().run(RecordedFixtures.spec(RecordedFixtures.meeting, network: "lossless"))
        #expect(result.metrics["videoFramesDecoded", default: 0] > 200)
        #expect(result.metrics["freezeCount"] == 0)
    }

    /// A screen share that starts after its presenter joined is paused until then: nothing of it
    /// reaches the viewers before the start, and the wait is not a freeze.
    @Test func lateScreenShareStartsWhenTheEventSays() throws {
        let source = RecordedFixtures.temporaryPath("screen.sfuw")
        let spec = SynthesisSpec(participants: 2, kind: .screen, device: .desktop, durationMicros: 3_000_000, seed: 3,
                                 maxDistinctSources: 1, keyFrameIntervalSeconds: 1, joinSpreadMicros: 0)
        _ = try WorkloadSynthesizer(spec: spec).write(to: source)
        var manifest = try WorkloadReader(path: source).manifest
        let index = try #require(manifest.events.firstIndex { $0.kind == .screenShareStart })
        manifest.events[index].timeMicros = 1_500_000
        manifest.events.sort { $0.timeMicros < $1.timeMicros }
        let late = RecordedFixtures.temporaryPath("late-screen.sfuw")
        try RecordedFixtures.rewrite(source, manifest: manifest, to: late)
        let result = try TrialRunner().run(RecordedFixtures.spec(late, network: "lossless"))
        #expect(result.metrics["timeToFirstFrame.count"] == 1)
        #expect(result.metrics["timeToFirstFrame.p50", default: 0] >= 1_500, "first screen frame after the start")
        #expect(result.metrics["videoFramesDecoded", default: 0] >= 6, "5 fps for 1.5 s")
        #expect(result.metrics["freezeCount"] == 0)
    }

    @Test func pausedStreamGapIsNotAFreeze() {
        var detector = FreezeDetector()
        for frame in 0..<10 { detector.frameRendered(at: .milliseconds(Int64(frame) * 33)) }
        detector.streamInactive()
        let afterPause = detector.frameRendered(at: .milliseconds(2_000))
        let afterGap = detector.frameRendered(at: .milliseconds(3_000))
        #expect(!afterPause)
        #expect(afterGap, "the next long gap is a freeze again")
        #expect(detector.freezeCount == 1 && detector.pauseCount == 1)
    }
}
