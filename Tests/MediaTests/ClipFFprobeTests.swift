import Foundation
import Testing
@testable import Media

/// Exported clips checked by an independent implementation (Debian's ffmpeg): duration within one
/// frame of the requested span, the expected number of frames, and no decoder errors.
@Suite struct ClipFFprobeTests {
    @Test func ivfClipHasDurationFramesAndDecodes() throws {
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        let participant = try #require(reader.manifest.participants.first { $0.streams.contains { $0.kind == .video && $0.timeShiftMicros == 0 } })
        // 0 to 2 s of the top encoding: 30 fps, starting at the first (key) frame.
        let clip = try ClipExporter(reader: reader).videoIVF(participant: participant.id, fromMicros: 0, toMicros: 2_000_000)
        let path = TestFiles.temporaryPath("clip.ivf")
        try Data(clip.bytes).write(to: URL(fileURLWithPath: path))
        let probed = try #require(try tools.probe(path))
        #expect(probed.frames == 60 && clip.frames == 60, "ffprobe counted \(probed.frames), exporter wrote \(clip.frames)")
        #expect(abs(probed.duration - 2.0) <= 1.0 / 30, "duration \(probed.duration) s")
        #expect(try tools.decodeErrors(path) == "")
    }

    @Test func oggClipHasDurationFramesAndDecodes() throws {
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        // 1 s to 3 s: 100 Opus frames of 20 ms (DTX gaps filled with empty frames).
        let clip = try ClipExporter(reader: reader).audioOgg(participant: "p01", fromMicros: 1_000_000, toMicros: 3_000_000)
        let path = TestFiles.temporaryPath("clip.ogg")
        try Data(clip.bytes).write(to: URL(fileURLWithPath: path))
        let probed = try #require(try tools.probe(path))
        #expect(probed.frames == 100 && clip.frames == 100, "ffprobe counted \(probed.frames), exporter wrote \(clip.frames)")
        #expect(abs(probed.duration - 2.0) <= 0.020, "duration \(probed.duration) s")
        #expect(try tools.decodeErrors(path) == "")
    }

    @Test func damagedClipIsCaught() throws {
        // The checks can fail: a clip with its frames cut in half does not decode cleanly.
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        var bytes = try ClipExporter(reader: reader).videoIVF(participant: "p01", fromMicros: 0, toMicros: 1_000_000).bytes
        for index in stride(from: 200, to: bytes.count, by: 97) { bytes[index] ^= 0xFF }
        let path = TestFiles.temporaryPath("damaged.ivf")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try tools.decodeErrors(path) != "")
    }
}
