import ArgumentParser
import Foundation
import Media

/// `sfulab clip`: export one participant's audio (Ogg Opus) or video (IVF) between two times.
struct ClipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "Export a participant's media from a session or workload to .ogg (Opus) or .ivf (VP8/VP9).",
        discussion: "Video clips start at the last key frame at or before --from so that they decode."
    )

    @Argument(help: "Session or workload file.") var session: String
    @Option(help: "Participant id, e.g. p01.") var participant: String
    @Option(help: "Start, session time (e.g. 5s).") var from: DurationArgument = DurationArgument(argument: "0s")!
    @Option(help: "End, session time (e.g. 10s).") var to: DurationArgument
    @Option(help: "Simulcast encoding for video (default: the highest).") var rid: String?
    @Option(help: "Output file: .ogg or .ivf.") var out: String
    @Flag(help: "Machine-readable output.") var json = false

    func run() throws {
        let isOgg = out.hasSuffix(".ogg") || out.hasSuffix(".opus")
        guard isOgg || out.hasSuffix(".ivf") else {
            FileHandle.standardError.write(Data("error: --out must end in .ogg or .ivf (WebM is not written yet)\n".utf8))
            throw ExitCode(2)
        }
        guard to.micros > from.micros else {
            FileHandle.standardError.write(Data("error: --to must be after --from\n".utf8))
            throw ExitCode(2)
        }
        let result: ClipExporter.Result
        do {
            let exporter = ClipExporter(reader: try WorkloadReader(path: session))
            result = isOgg
                ? try exporter.audioOgg(participant: participant, fromMicros: from.micros, toMicros: to.micros)
                : try exporter.videoIVF(participant: participant, fromMicros: from.micros, toMicros: to.micros, rid: rid)
            try Data(result.bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch let error as WorkloadError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print("{\"out\": \"\(out)\", \"track\": \"\(result.track)\", \"frames\": \(result.frames), \"startMicros\": \(result.startMicros), \"bytes\": \(result.bytes.count)}")
        } else {
            print("wrote \(out): \(result.frames) frames of \(result.track) from \(Double(result.startMicros) / 1e6) s, \(result.bytes.count) bytes")
        }
    }
}
