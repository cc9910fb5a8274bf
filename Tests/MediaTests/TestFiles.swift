import Foundation
@testable import Media

/// Temporary paths and shared synthesized fixtures (encoded once per test run).
enum TestFiles {
    static func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sfulab-media-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    /// A 4 s desktop meeting of 2 participants (one distinct camera and microphone source each).
    static let desktopMeeting: (path: String, report: WorkloadSynthesizer.Report) = synthesize(
        SynthesisSpec(participants: 2, kind: .meeting, device: .desktop, durationMicros: 4_000_000, seed: 7))

    /// A 4 s desktop meeting of 1 participant with a key frame every second (clusters and cues).
    static let keyedMeeting: (path: String, report: WorkloadSynthesizer.Report) = synthesize(
        SynthesisSpec(participants: 1, kind: .meeting, device: .desktop, durationMicros: 4_000_000, seed: 9, keyFrameIntervalSeconds: 1))

    /// A 4 s mobile meeting of 1 participant.
    static let mobileMeeting: (path: String, report: WorkloadSynthesizer.Report) = synthesize(
        SynthesisSpec(participants: 1, kind: .meeting, device: .mobile, durationMicros: 4_000_000, seed: 8))

    static func synthesize(_ spec: SynthesisSpec) -> (path: String, report: WorkloadSynthesizer.Report) {
        let path = temporaryPath("\(spec.kind)-\(spec.device).sfuw")
        do {
            let report = try WorkloadSynthesizer(spec: spec).write(to: path)
            return (path, report)
        } catch {
            fatalError("synthesis failed: \(error)")
        }
    }

    static func bytes(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    static func all(_ reader: WorkloadReader, track: String) throws -> [WorkloadPacket] {
        var cursor = try reader.packets(track: track)
        var packets: [WorkloadPacket] = []
        while let packet = try cursor.next() { packets.append(packet) }
        return packets
    }
}
