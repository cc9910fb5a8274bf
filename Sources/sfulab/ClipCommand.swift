import ArgumentParser
import Foundation
import Media

extension MediaKind: ExpressibleByArgument {}

/// `sfulab clip`: export one participant's media between two times to WebM, IVF or Ogg Opus.
struct ClipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "Export a participant's media from a session or workload to .webm (VP8/VP9 + Opus), .ivf (VP8/VP9) or .ogg (Opus).",
        discussion: """
        The container follows the extension of --out. A .webm clip holds the participant's video and \
        its audio (--kind video or --kind audio for one of them); .ivf holds video, .ogg audio. Clips \
        with video start at the last key frame at or before --from so that they decode. The file is \
        written only once the whole clip is built (temporary file, then rename).
        """
    )

    @Argument(help: "Session or workload file.") var session: String
    @Option(help: "Participant id, e.g. p01.") var participant: String
    @Option(help: "Start, session time (e.g. 5s).") var from: DurationArgument = DurationArgument(argument: "0s")!
    @Option(help: "End, session time (e.g. 10s).") var to: DurationArgument
    @Option(help: "Only this kind: video | audio (default: what the container holds and the participant publishes).") var kind: MediaKind?
    @Option(help: "Simulcast encoding for video (default: the highest).") var rid: String?
    @Option(help: "Output file: .webm, .ivf or .ogg.") var out: String
    @Flag(help: "Machine-readable output.") var json = false

    func validate() throws {
        guard let format = ClipExporter.Format(path: out) else {
            throw ValidationError("--out must end in .webm, .ivf or .ogg (the extension chooses the container), got \(out)")
        }
        if let kind, !format.kinds.contains(kind) {
            throw ValidationError(".\(format.rawValue) cannot hold \(kind.rawValue): use .webm, or --kind \(format.kinds.first!.rawValue)")
        }
        guard to.micros > from.micros else {
            throw ValidationError("empty range: --to (\(to.defaultValueDescription)) must be after --from (\(from.defaultValueDescription))")
        }
    }

    func run() throws {
        let result: ClipExporter.Result
        do {
            let exporter = ClipExporter(reader: try WorkloadReader(path: session))
            result = try exporter.export(participant: participant, fromMicros: from.micros, toMicros: to.micros, rid: rid,
                                         kinds: kind.map { [$0] }, to: out)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            let object: [String: Any] = ["out": out, "track": result.track, "frames": result.frames, "startMicros": result.startMicros,
                                         "durationMicros": result.durationMicros, "bytes": result.bytes.count]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("wrote \(out): \(result.frames) frames of \(result.track) from \(Double(result.startMicros) / 1e6) s, \(Double(result.durationMicros) / 1e6) s, \(result.bytes.count) bytes")
        }
    }
}
