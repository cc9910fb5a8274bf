import Foundation
import Testing

/// Runs Debian's ffprobe/ffmpeg (installed by `scripts/install-deps.sh --with-test-tools`, which
/// `make test` runs). A missing tool is a test failure with the fix, never a silent skip.
struct FFprobe {
    let ffprobe: String
    let ffmpeg: String

    /// Finds both tools on PATH, or records an issue saying how to install them.
    static func find(sourceLocation: SourceLocation = #_sourceLocation) -> FFprobe? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func locate(_ tool: String) -> String? {
            path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let ffprobe = locate("ffprobe"), let ffmpeg = locate("ffmpeg") else {
            Issue.record("ffprobe/ffmpeg not found on PATH (\(path)): install them with `sudo apt-get install -y ffmpeg` or `scripts/install-deps.sh --with-test-tools`", sourceLocation: sourceLocation)
            return nil
        }
        return FFprobe(ffprobe: ffprobe, ffmpeg: ffmpeg)
    }

    /// Runs `tool` with `arguments`; returns (exit status, stdout, stderr).
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// Duration (seconds: the stream's, else the file's), decoded frame count and picture size
    /// (video) of stream `stream`, from `ffprobe -count_frames`.
    func probe(_ file: String, stream: Int = 0) throws -> (duration: Double, frames: Int, width: Int?, height: Int?)? {
        let result = try Self.run(ffprobe, ["-v", "error", "-count_frames", "-select_streams", "\(stream)",
                                            "-show_entries", "stream=nb_read_frames,duration,width,height:format=duration",
                                            "-of", "default=noprint_wrappers=1", file])
        guard result.status == 0 else {
            Issue.record("ffprobe failed on \(file): \(result.errors)")
            return nil
        }
        var values: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[1] != "N/A", values[parts[0]] == nil { values[parts[0]] = parts[1] }
        }
        guard let frames = values["nb_read_frames"].flatMap(Int.init), let duration = values["duration"].flatMap(Double.init) else {
            Issue.record("ffprobe gave no frame count or duration for \(file): \(result.output)")
            return nil
        }
        return (duration, frames, values["width"].flatMap(Int.init), values["height"].flatMap(Int.init))
    }

    /// Decoder errors from `ffmpeg -v error -i FILE -f null -` (empty when it decodes cleanly).
    func decodeErrors(_ file: String) throws -> String {
        let result = try Self.run(ffmpeg, ["-nostdin", "-v", "error", "-i", file, "-f", "null", "-"])
        return result.status == 0 ? result.errors : "exit \(result.status): \(result.errors)"
    }
}
