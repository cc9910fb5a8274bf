import Foundation
import Testing
@testable import Media

/// Round trips and clear errors for bad workload files.
@Suite struct WorkloadFileTests {
    static func smallWorkload() throws -> (path: String, packets: [WorkloadPacket]) {
        let path = TestFiles.temporaryPath("small.sfuw")
        let writer = try WorkloadWriter(path: path)
        var packets: [WorkloadPacket] = []
        for index in 0..<200 {
            let length: Int = 1 + (index * 7) % 1400
            var payload = [UInt8](repeating: 0, count: length)
            for byte in 0..<length { payload[byte] = UInt8(truncatingIfNeeded: byte &+ index) }
            packets.append(WorkloadPacket(
                captureTimeMicros: Int64(index) * 20_000, rtpTimestamp: UInt32(index * 960), isFrameEnd: true,
                isFrameStart: true, isKeyFrame: index % 50 == 0, spatialLayer: 0, temporalLayer: UInt8(index % 3),
                payload: payload))
        }
        let track = WorkloadTrack(id: "t", kind: .audio, codec: "opus", clockRate: 48_000, targetBitrate: 32_000,
                                  source: "test", durationMicros: 4_000_000)
        try writer.beginTrack(track)
        for packet in packets { try writer.append(packet) }
        let written = try writer.endTrack()
        let participant = WorkloadParticipant(
            id: "a", role: .publisher, device: .desktop,
            streams: [WorkloadStream(id: "a-mic", kind: .audio, codec: "opus", clockRate: 48_000, source: "microphone",
                                     encodings: [WorkloadEncoding(rid: nil, track: "t", maxBitrate: 32_000)], timeShiftMicros: 1_000_000)],
            subscriptions: [])
        try writer.finish(WorkloadManifest(durationMicros: 4_000_000, tracks: [written], participants: [participant],
                                           events: [WorkloadEvent(timeMicros: 1_000_000, kind: .join, participant: "a")]))
        return (path, packets)
    }

    static func expectError(_ path: String, _ code: WorkloadError.Code, offset: Int64?, migrations: WorkloadMigrations = .builtIn) {
        do {
            _ = try WorkloadReader(path: path, migrations: migrations)
            Issue.record("\(path) opened")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.byteOffset == offset, "\(error)")
            #expect(error.description.hasPrefix(path), "the message names the file: \(error)")
        }
    }

    @Test func roundTripsEveryField() throws {
        let (path, packets) = try Self.smallWorkload()
        let reader = try WorkloadReader(path: path)
        #expect(try TestFiles.all(reader, track: "t") == packets)
        #expect(reader.manifest.tracks[0].packetCount == 200)
        #expect(reader.manifest.tracks[0].keyFrameCount == 4)
        // Through the participant: shifted by 1 s and cut at the 4 s session end.
        var cursor = try reader.packets(participant: "a", stream: "a-mic")
        var shifted: [WorkloadPacket] = []
        while let packet = try cursor.next() { shifted.append(packet) }
        #expect(shifted.count == 150)
        #expect(shifted.first?.captureTimeMicros == 1_000_000)
        #expect(shifted.last?.captureTimeMicros == 3_980_000)
    }

    @Test func missingOrUnknownNamesAreClear() throws {
        let (path, _) = try Self.smallWorkload()
        let reader = try WorkloadReader(path: path)
        #expect(throws: WorkloadError.self) { try reader.packets(track: "nope") }
        #expect(throws: WorkloadError.self) { try reader.packets(participant: "a", stream: "a-cam") }
        Self.expectError(path + ".missing", .io, offset: nil)
    }

    @Test func truncatedFileNamesTheTrailerOffset() throws {
        let (path, _) = try Self.smallWorkload()
        let bytes = TestFiles.bytes(path)
        let cut = bytes.count - 100
        try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .truncated, offset: Int64(cut - 24))
        try Data(bytes[0..<20]).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .truncated, offset: 20)
    }

    @Test func garbageIsNotAWorkload() throws {
        let path = TestFiles.temporaryPath("garbage.sfuw")
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 31) }).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .notAWorkload, offset: 0)
        try Data().write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .notAWorkload, offset: 0)
    }

    @Test func newerVersionIsRefusedAndOlderIsMigrated() throws {
        let (path, _) = try Self.smallWorkload()
        var bytes = TestFiles.bytes(path)
        bytes[8] = 2
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .newerVersion, offset: 8)
        bytes[8] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .unsupportedVersion, offset: 8)
        // The migration hook upgrades a version-0 manifest.
        let migrations = WorkloadMigrations(steps: [0: { json in json }])
        let reader = try WorkloadReader(path: path, migrations: migrations)
        #expect(reader.fileVersion == 0)
        #expect(reader.manifest.formatVersion == WorkloadManifest.currentVersion)
    }

    /// A migration step really rewrites an old manifest: a "version 0" file that called the
    /// session length `sessionMicros` reads as version 1 through a step renaming the key, and
    /// without the step it is refused naming the version.
    @Test func migrationStepRewritesAnOldManifest() throws {
        let (path, _) = try Self.smallWorkload()
        var bytes = TestFiles.bytes(path)
        let trailer = bytes.count - 24
        let offset = Int(bytes[trailer..<(trailer + 8)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let json = String(decoding: bytes[offset..<trailer], as: UTF8.self)
        #expect(json.contains("\"durationMicros\""))
        let old = Array(json.replacingOccurrences(of: "\"durationMicros\"", with: "\"sessionMicros\"").utf8)
        bytes.replaceSubrange(offset..<bytes.count, with: old)
        bytes += withUnsafeBytes(of: UInt64(offset).littleEndian, Array.init) + withUnsafeBytes(of: UInt64(old.count).littleEndian, Array.init)
        bytes += Array("SFUWLEND".utf8)
        bytes[8] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .unsupportedVersion, offset: 8)
        let rename = WorkloadMigrations(steps: [0: { manifest in
            Array(String(decoding: manifest, as: UTF8.self).replacingOccurrences(of: "\"sessionMicros\"", with: "\"durationMicros\"").utf8)
        }])
        let reader = try WorkloadReader(path: path, migrations: rename)
        #expect(reader.fileVersion == 0 && reader.manifest.formatVersion == 1)
        #expect(reader.manifest.durationMicros == 4_000_000)
        var cursor = try reader.packets(track: "t")
        #expect(try cursor.next() != nil, "records are read as before")
        // A step that fails names the file and the manifest's offset.
        let failing = WorkloadMigrations(steps: [0: { _ in throw WorkloadError(.badManifest, path: "step", "cannot upgrade") }])
        Self.expectError(path, .badManifest, offset: Int64(offset), migrations: failing)
    }

    @Test func corruptRecordNamesItsOffset() throws {
        let (path, _) = try Self.smallWorkload()
        var bytes = TestFiles.bytes(path)
        let reader = try WorkloadReader(path: path)
        // Find the 10th record's offset by walking the cursor, then break its sync byte.
        var cursor = try reader.packets(track: "t")
        for _ in 0..<10 { _ = try cursor.next() }
        let offset = cursor.byteOffset
        bytes[Int(offset)] = 0x00
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var broken = try WorkloadReader(path: path).packets(track: "t")
        for _ in 0..<10 { _ = try broken.next() }
        do {
            _ = try broken.next()
            Issue.record("corrupt record read")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.byteOffset == offset)
            #expect(error.description.contains(path))
        }
    }

    @Test func badManifestNamesItsOffset() throws {
        let (path, _) = try Self.smallWorkload()
        var bytes = TestFiles.bytes(path)
        let manifestOffset = bytes[(bytes.count - 24)..<(bytes.count - 16)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        bytes[Int(manifestOffset)] = UInt8(ascii: "x")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        Self.expectError(path, .badManifest, offset: Int64(manifestOffset))
    }

    @Test func unfinishedWriterLeavesNothing() throws {
        let path = TestFiles.temporaryPath("unfinished.sfuw")
        do {
            let writer = try WorkloadWriter(path: path)
            try writer.beginTrack(WorkloadTrack(id: "t", kind: .audio, codec: "opus", clockRate: 48_000, targetBitrate: 1,
                                                source: "", durationMicros: 1))
            try writer.append(WorkloadPacket(captureTimeMicros: 0, rtpTimestamp: 0, isFrameEnd: true, isFrameStart: true,
                                             isKeyFrame: false, payload: [1]))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        let directory = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("unfinished.sfuw") }
        #expect(leftovers.isEmpty)
    }
}
