import ArgumentParser
import Foundation
import Harness
import Media

/// `sfulab workload`: synthesize and inspect workload files.
struct WorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Synthesize and inspect recorded workloads (docs/workload-format.md).",
        subcommands: [WorkloadSynthCommand.self, WorkloadInfoCommand.self]
    )
}

/// Parses durations such as `30s`, `1500ms`, `2m`, or a bare number of seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let micros: Int64

    init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        micros = duration.nanoseconds / 1_000
    }

    var defaultValueDescription: String { DurationText.format(.nanoseconds(micros * 1_000)) }
}

extension SynthesisSpec.Kind: ExpressibleByArgument {}
extension SynthesisSpec.DeviceMix: ExpressibleByArgument {}
extension SynthesisSpec.VideoCodec: ExpressibleByArgument {}

/// `sfulab workload synth`: encode a synthetic session with libopus and libvpx.
struct WorkloadSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize a workload with real Opus and VP8 encoders.",
        discussion: """
        Encodes at most --max-sources distinct sources per type and lets participants reuse them \
        time-shifted, so 50 participants cost no more encoding than 3. Same seed, same bytes.
        """
    )

    @Option(help: "Number of participants (1...1000).") var participants: Int
    @Option(help: "meeting | webinar | screen | audio") var kind: SynthesisSpec.Kind
    @Option(help: "desktop | mobile | mixed") var device: SynthesisSpec.DeviceMix = .desktop
    @Option(help: "Session length, e.g. 30s, 1500ms, 2m.") var duration: DurationArgument = DurationArgument(argument: "30s")!
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Camera codec: vp8 (simulcast, L1T3 each) | vp9 (one SVC stream: L3T3 desktop, L2T3 mobile).") var codec: SynthesisSpec.VideoCodec = .vp8
    @Option(help: "Distinct sources encoded per source type.") var maxSources: Int = 3
    @Option(help: "Seconds between forced key frames (0: first frame only).") var keyFrameInterval: Int = 10
    @Option(help: "Participant 1 switches camera (or microphone, without a camera) at this session time, e.g. 5s: new SSRCs, a key frame.")
    var deviceSwitchAt: DurationArgument?
    @Option(help: "Output workload file.") var out: String
    @Flag(help: "Print the synthesis report as JSON.") var json = false

    func run() throws {
        let spec = SynthesisSpec(participants: participants, kind: kind, device: device, durationMicros: duration.micros,
                                seed: seed, maxDistinctSources: maxSources, keyFrameIntervalSeconds: keyFrameInterval,
                                videoCodec: codec, deviceSwitchMicros: deviceSwitchAt?.micros)
        do {
            try spec.validate()
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let report: WorkloadSynthesizer.Report
        do {
            report = try WorkloadSynthesizer(spec: spec).write(to: out)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            let rows = report.tracks.map { ["track": $0.id, "frames": "\($0.frames)", "encodeMicrosPerFrame": String(format: "%.1f", perFrame($0))] }
            let data = try JSONSerialization.data(withJSONObject: ["out": out, "tracks": rows], options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("wrote \(out)")
            for track in report.tracks {
                print("  \(track.id): \(track.frames) frames, encode \(String(format: "%.2f", perFrame(track) / 1000)) ms/frame")
            }
        }
    }

    private func perFrame(_ track: WorkloadSynthesizer.Report.Track) -> Double {
        track.frames == 0 ? 0 : Double(track.encodeNanoseconds) / 1000 / Double(track.frames)
    }
}
