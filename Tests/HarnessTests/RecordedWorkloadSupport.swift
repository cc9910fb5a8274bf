import Engine
import Foundation
import Harness
import Media

/// Small synthesized workloads for the recorded-trial tests, encoded once per test run.
enum RecordedFixtures {
    static func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sfulab-harness-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    /// A 3 s desktop meeting of 3 participants (VP8 simulcast + Opus, one distinct source each,
    /// a key frame every second, joins spread over 0.5 s).
    static let meeting: String = {
        let path = temporaryPath("meeting.sfuw")
        let spec = SynthesisSpec(participants: 3, kind: .meeting, device: .desktop, durationMicros: 3_000_000, seed: 11,
                                 maxDistinctSources: 1, keyFrameIntervalSeconds: 1, joinSpreadMicros: 500_000)
        do { _ = try WorkloadSynthesizer(spec: spec).write(to: path) } catch { fatalError("synthesis failed: \(error)") }
        return path
    }()

    static func spec(_ file: String, network: String = "4g", seconds: Int64 = 3, seed: UInt64 = 5) throws -> TrialSpec {
        TrialSpec(profile: Profile(), workload: WorkloadSpec(file: file), network: try NetworkScenario.preset(named: network),
                  duration: .seconds(seconds), seed: seed)
    }

    /// Every packet of every track, by track id.
    static func packets(_ path: String) throws -> [String: [WorkloadPacket]] {
        let reader = try WorkloadReader(path: path)
        var result: [String: [WorkloadPacket]] = [:]
        for track in reader.manifest.tracks {
            var cursor = try reader.packets(track: track.id)
            var packets: [WorkloadPacket] = []
            while let packet = try cursor.next() { packets.append(packet) }
            result[track.id] = packets
        }
        return result
    }

    /// Copies the workload at `source` to `path` with `manifest` instead of its own (same tracks).
    static func rewrite(_ source: String, manifest: WorkloadManifest, to path: String) throws {
        let reader = try WorkloadReader(path: source)
        let writer = try WorkloadWriter(path: path)
        var tracks: [WorkloadTrack] = []
        for track in reader.manifest.tracks {
            var cursor = try reader.packets(track: track.id)
            try writer.beginTrack(track)
            while let packet = try cursor.next() { try writer.append(packet) }
            tracks.append(try writer.endTrack())
        }
        var rewritten = manifest
        rewritten.tracks = tracks
        try writer.finish(rewritten)
    }

    /// Replays the saved session `recorded` verbatim over a lossless network while recording it
    /// again; returns the new recording's path and the replay's result.
    static func replayVerbatim(_ recorded: String, seed: UInt64) throws -> (path: String, result: TrialResult) {
        let replayed = temporaryPath("replayed.sfuw")
        var runner = TrialRunner()
        runner.replaysVerbatim = true
        let result = try runner.run(spec(recorded, network: "lossless", seed: seed), recordingTo: replayed)
        return (replayed, result)
    }
}
