import ControlAPI
import Engine
import EngineClient
import Foundation
import Testing

/// The real `sfulab record --engine` process against an in-process server: bad input exits 2 and
/// writes nothing; a recording is a file `workload info`, `replay` and `clip` take.
@Suite struct RecordCommandTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("record-command-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func badURLRoomOrOutputExits2AndWritesNothing() throws {
        let sfulab = try ServeProcessTests.sfulabPath()
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = "\(directory)/session.sfuw"
        try ServerFixture.run { fixture in
            _ = try fixture.client.createTransport(room: "cli")
            let url = fixture.server.controlURL
            let cases: [([String], String)] = [
                (["--engine", "http://127.0.0.1:1", "--room", "cli"], "cannot connect"),
                (["--engine", "not-a-url", "--room", "cli"], "not an engine server URL"),
                (["--engine", url, "--room", "missing"], "has no room missing"),
                (["--engine", url], "--engine needs --room"),
                (["--room", "cli"], "--room needs --engine"),
                (["--engine", url, "--room", "cli", "--duration", "soon"], "--duration: 'soon'"),
                (["--engine", url, "--room", "cli", "--workload", "x.sfuw"], "one or the other"),
            ]
            for (arguments, message) in cases {
                let result = try runCommand(sfulab, ["record"] + arguments + ["--out", out])
                #expect(result.status == 2, "\(arguments): exit \(result.status)")
                #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
            }
            let missingDirectory = try runCommand(sfulab, ["record", "--engine", url, "--room", "cli", "--out", "\(directory)/no/such/dir/s.sfuw"])
            #expect(missingDirectory.status == 2 && missingDirectory.errors.contains("does not exist"))
            // Nothing was written, not even a temporary file; no tap was left open.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
            #expect(try fixture.client.listTaps(room: "cli").taps.isEmpty)
        }
    }

    @Test func aRecordedRoomIsAWorkloadThatInfoReplayAndClipTake() throws {
        let sfulab = try ServeProcessTests.sfulabPath()
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = "\(directory)/session.sfuw"
        try ServerFixture.run { fixture in
            let client = fixture.client
            let publisher = try UDPPeer(group: fixture.peers)
            defer { publisher.close() }
            let send = try client.createTransport(room: "cli")
            var audio = AudioStream(ssrc: 77, payloadType: try fixture.payloadType("audio/opus"))
            var video = VP8KeyFrameStream(ssrc: 88, payloadType: try fixture.payloadType("video/VP8"))
            for (kind, mime, payloadType, ssrc) in [(MediaKind.audio, "audio/opus", audio.payloadType, UInt32(77)), (.video, "video/VP8", video.payloadType, 88)] {
                _ = try client.produce(room: "cli", transport: send.id, ProducerOptions(
                    kind: kind, mimeType: mime, payloadType: payloadType, encodings: [ProducerEncoding(ssrc: ssrc)]))
            }
            let recording = LiveRecordTests.inBackground(seconds: 60) {
                try? runCommand(sfulab, ["record", "--engine", fixture.server.controlURL, "--room", "cli", "--out", out, "--duration", "2s"])
            }
            // Send once the tap is open (the recorder opened it), within a deadline.
            let deadline = Date(timeIntervalSinceNow: 20)
            while try client.listTaps(room: "cli").taps.isEmpty, Date() < deadline {}
            for _ in 0..<30 {
                try publisher.send(audio.next(), toPort: send.port)
                try publisher.send(video.next(), toPort: send.port)
            }
            let result = try #require(recording() ?? nil, "sfulab record did not finish")
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("2 streams, 60 packets"), "\(result.output)")

            let info = try runCommand(sfulab, ["workload", "info", out])
            #expect(info.status == 0, "\(info.errors)")
            for expected in ["1 participants", "transport-0 publisher desktop", "transport-0-mic", "transport-0-cam", "30 frames"] {
                #expect(info.output.contains(expected), "workload info lacks \(expected): \(info.output)")
            }
            let replay = try runCommand(sfulab, ["replay", out])
            #expect(replay.status == 0, "\(replay.errors)")
            let clip = try runCommand(sfulab, ["clip", out, "--participant", "transport-0", "--from", "0", "--to", "2", "--out", "\(directory)/clip.webm"])
            #expect(clip.status == 0, "\(clip.errors)")
            #expect(FileManager.default.fileExists(atPath: "\(directory)/clip.webm"))
        }
    }
}
