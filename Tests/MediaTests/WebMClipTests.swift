import Foundation
import Testing
@testable import Media

/// WebM clips: the EBML and Matroska structure read back by an independent reader, and the files
/// checked by Debian's ffprobe/ffmpeg (duration within one frame, frame counts, clean decoding).
@Suite struct WebMClipTests {
    @Test func vintsUseTheFewestBytesAndAvoidTheReservedValue() {
        #expect(EBML.vint(0) == [0x80])
        #expect(EBML.vint(126) == [0xFE])
        #expect(EBML.vint(127) == [0x40, 0x7F], "all ones in one byte means unknown size")
        #expect(EBML.vint(0x3FFE) == [0x7F, 0xFE])
        #expect(EBML.vint(0x3FFF) == [0x20, 0x3F, 0xFF])
        #expect(EBML.vint(5, width: 8) == [0x01, 0, 0, 0, 0, 0, 0, 5])
        #expect(EBML.id(0x1A45_DFA3) == [0x1A, 0x45, 0xDF, 0xA3])
        #expect(EBML.id(0xA3) == [0xA3])
        #expect(EBML.unsigned(0xD7, 0) == [0xD7, 0x81, 0x00])
        #expect(EBML.unsigned(0x53AC, 0x1234, width: 8) == [0x53, 0xAC, 0x88, 0, 0, 0, 0, 0, 0, 0x12, 0x34])
    }

    /// Header, tracks, clusters opening at key frames, cues pointing at them, and the SeekHead.
    @Test func clipHasHeaderTracksClustersAndCues() throws {
        let reader = try WorkloadReader(path: TestFiles.keyedMeeting.path)
        let clip = try ClipExporter(reader: reader).webM(participant: "p01", fromMicros: 500_000, toMicros: 3_500_000)
        #expect(clip.startMicros == 0, "the last key frame at or before 0.5 s")
        let file = EBMLTestReader(bytes: clip.bytes)
        let top = try file.elements(in: 0..<clip.bytes.count)
        #expect(top.map(\.id) == [0x1A45_DFA3, 0x1853_8067])
        #expect(file.string(try #require(top[0].child(0x4282))) == "webm")
        let segment = top[1]
        let segmentStart = segment.data.lowerBound
        #expect(segment.data.upperBound == clip.bytes.count)

        let info = try #require(segment.child(0x1549_A966))
        #expect(file.unsigned(try #require(info.child(0x2AD7B1))) == 1_000_000)
        #expect(abs(file.float(try #require(info.child(0x4489))) - 3_500) <= 1)

        let entries = try #require(segment.child(0x1654_AE6B)).all(0xAE)
        #expect(entries.map { file.string($0.child(0x86)!) } == ["V_VP8", "A_OPUS"])
        let video = try #require(entries[0].child(0xE0))
        #expect(file.unsigned(video.child(0xB0)!) == 640 && file.unsigned(video.child(0xBA)!) == 360)
        #expect(Array(file.bytes[try #require(entries[1].child(0x63A2)).data].prefix(8)) == Array("OpusHead".utf8))
        #expect(file.unsigned(try #require(entries[1].child(0x56AA))) == 6_500_000)
        #expect(file.unsigned(try #require(entries[1].child(0x56BB))) == 80_000_000)

        // Blocks: every cluster's timestamps go forward; video clusters open with a key frame.
        let clusters = segment.all(0x1F43_B675)
        var counts = [0, 0], last: Int64 = -1
        var keyClusters: [(offset: Int, time: UInt64)] = []
        for cluster in clusters {
            let time = file.unsigned(try #require(cluster.child(0xE7)))
            for (index, block) in cluster.all(0xA3).enumerated() {
                let bytes = Array(file.bytes[block.data])
                let track = Int(bytes[0] & 0x7F)
                let at = Int64(time) + Int64(Int16(bitPattern: UInt16(bytes[1]) << 8 | UInt16(bytes[2])))
                #expect(at >= last)
                last = at
                counts[track - 1] += 1
                if index == 0 && track == 1 && bytes[3] & 0x80 != 0 { keyClusters.append((cluster.offset - segmentStart, time)) }
            }
        }
        #expect(counts == [105, 175], "3.5 s of 30 fps video and 20 ms Opus packets")
        #expect(keyClusters.map(\.time) == [0, 1_000, 2_000, 3_000])

        // Cues point at exactly those clusters.
        let cues = try #require(segment.child(0x1C53_BB6B)).all(0xBB)
        let cued = cues.map { point in
            (Int(file.unsigned(point.child(0xB7)!.child(0xF1)!)), file.unsigned(point.child(0xB3)!), file.unsigned(point.child(0xB7)!.child(0xF7)!))
        }
        #expect(cued.map(\.0) == keyClusters.map(\.offset))
        #expect(cued.map(\.1) == keyClusters.map(\.time))
        #expect(cued.allSatisfy { $0.2 == 1 })

        // The SeekHead names Info, Tracks and Cues at their offsets.
        let seeks = try #require(segment.child(0x114D_9B74)).all(0x4DBB).map { seek in
            (Array(file.bytes[seek.child(0x53AB)!.data]), Int(file.unsigned(seek.child(0x53AC)!)))
        }
        let targets = [info, segment.child(0x1654_AE6B)!, segment.child(0x1C53_BB6B)!]
        #expect(seeks.map(\.0) == targets.map { EBML.id($0.id) })
        #expect(seeks.map(\.1) == targets.map { $0.offset - segmentStart })
    }

    @Test func vp8AndOpusClipHasDurationFramesAndDecodes() throws {
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        let participant = try #require(reader.manifest.participants.first { $0.streams.contains { $0.kind == .video && $0.timeShiftMicros == 0 } })
        let path = TestFiles.temporaryPath("clip.webm")
        let clip = try ClipExporter(reader: reader).export(participant: participant.id, fromMicros: 0, toMicros: 2_000_000, to: path)
        #expect(clip.frames == 160)
        let video = try #require(try tools.probe(path, stream: 0))
        #expect(video.frames == 60 && video.width == 640 && video.height == 360, "\(video)")
        #expect(abs(video.duration - 2.0) <= 1.0 / 30, "duration \(video.duration) s")
        let audio = try #require(try tools.probe(path, stream: 1))
        #expect(audio.frames == 100, "\(audio)")
        #expect(try tools.decodeErrors(path) == "")
    }

    @Test func vp9SVCClipShowsEachPictureOnce() throws {
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: VP9SynthesisTests.workload.path)
        let path = TestFiles.temporaryPath("svc.webm")
        try ClipExporter(reader: reader).export(participant: "p01", fromMicros: 0, toMicros: 2_000_000, kinds: [.video], to: path)
        let probed = try #require(try tools.probe(path))
        #expect(probed.frames == 60 && probed.width == 640 && probed.height == 360, "\(probed)")
        #expect(abs(probed.duration - 2.0) <= 1.0 / 30, "duration \(probed.duration) s")
        #expect(try tools.decodeErrors(path) == "")
        // The same clip as IVF.
        let ivf = TestFiles.temporaryPath("svc.ivf")
        try ClipExporter(reader: reader).export(participant: "p01", fromMicros: 0, toMicros: 2_000_000, to: ivf)
        #expect(try tools.probe(ivf)?.frames == 60)
        #expect(try tools.decodeErrors(ivf) == "")
    }

    @Test func opusOnlyClipHasDurationFramesAndDecodes() throws {
        guard let tools = FFprobe.find() else { return }
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        let path = TestFiles.temporaryPath("voice.webm")
        let clip = try ClipExporter(reader: reader).export(participant: "p01", fromMicros: 1_000_000, toMicros: 3_000_000,
                                                           kinds: [.audio], to: path)
        let probed = try #require(try tools.probe(path))
        #expect(probed.frames == 100 && clip.frames == 100, "ffprobe counted \(probed.frames), exporter wrote \(clip.frames)")
        #expect(abs(probed.duration - 2.0) <= 0.020, "duration \(probed.duration) s")
        #expect(try tools.decodeErrors(path) == "")
    }

    @Test func seekingThroughTheCuesDecodesCleanly() throws {
        guard let tools = FFprobe.find() else { return }
        let path = TestFiles.temporaryPath("seek.webm")
        try ClipExporter(reader: try WorkloadReader(path: TestFiles.keyedMeeting.path))
            .export(participant: "p01", fromMicros: 0, toMicros: 4_000_000, to: path)
        let result = try FFprobe.run(tools.ffmpeg, ["-nostdin", "-v", "error", "-ss", "2.5", "-i", path, "-f", "null", "-"])
        #expect(result.status == 0 && result.errors == "", "\(result.errors)")
    }

    /// Hiding the lower spatial layers changes no decoded pixel (libvpx outputs the top layer of
    /// a superframe either way) and the rewritten headers parse as hidden frames.
    @Test func hiddenLowerLayersDecodeToTheSamePictures() throws {
        let encoder = try VP9Encoder(VP9Encoder.Configuration(width: 640, height: 360, frameRate: 30, spatialBitrates: [100_000, 250_000, 600_000]))
        let camera = CameraSource(width: 640, height: 360, frameRate: 30, seed: 4)
        let original = try VPXDecoder(codec: .vp9), rewritten = try VPXDecoder(codec: .vp9)
        original.computesDigest = true
        rewritten.computesDigest = true
        var parser = VP9HeaderParser(), check = VP9HeaderParser()
        for index in 0..<12 {
            let layers = try encoder.encode(camera.frame(index), timestamp: UInt32(index * 3_000)).map(\.data)
            #expect(layers.count == 3)
            let headers = layers.map { parser.parse($0) }
            #expect(headers.map { $0.map { [$0.width, $0.height] } } == [[160, 90], [320, 180], [640, 360]])
            #expect(headers.allSatisfy { $0?.showFrame == true }, "libvpx shows every layer")
            var hidden = layers
            for layer in 0..<2 { hidden[layer] = VP9HeaderParser.hidden(layers[layer], header: headers[layer]!) }
            #expect(hidden.map { check.parse($0)?.showFrame } == [false, false, true])
            #expect(try original.decode(VP9Superframe.join(layers)) == 1)
            #expect(try rewritten.decode(VP9Superframe.join(hidden)) == 1)
            #expect(original.lastDigest != nil && original.lastDigest == rewritten.lastDigest, "picture \(index)")
            #expect(rewritten.lastSize == (640, 360))
        }
    }

    @Test func exportThatFailsMidwayWritesNothing() throws {
        let source = TestFiles.keyedMeeting.path
        var bytes = TestFiles.bytes(source)
        let reader = try WorkloadReader(path: source)
        let track = try #require(reader.manifest.tracks.first { $0.id.hasSuffix("-f") })
        var cursor = try reader.packets(track: track.id)
        while let packet = try cursor.next(), packet.captureTimeMicros < 1_500_000 {}
        let offset = cursor.byteOffset
        bytes[Int(offset)] = 0
        let damaged = TestFiles.temporaryPath("damaged.sfuw")
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let directory = TestFiles.temporaryPath("out")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["clip.webm", "clip.ivf"] {
            let out = "\(directory)/\(name)"
            let error = #expect(throws: WorkloadError.self) {
                try ClipExporter(reader: try WorkloadReader(path: damaged)).export(participant: "p01", fromMicros: 0, toMicros: 3_000_000, to: out)
            }
            #expect(error?.code == .corrupt && error?.byteOffset == offset && error?.path == damaged, "\(String(describing: error))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [], "no clip and no temporary file")
    }

    @Test func badRequestsAreRefusedClearly() throws {
        let path = TestFiles.desktopMeeting.path
        let exporter = ClipExporter(reader: try WorkloadReader(path: path))
        let directory = TestFiles.temporaryPath("refused")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let out = "\(directory)/clip.webm"
        let unknown = #expect(throws: WorkloadError.self) { try exporter.export(participant: "nobody", fromMicros: 0, toMicros: 1_000_000, to: out) }
        #expect(unknown?.path == path && unknown?.message.contains("no participant nobody; participants: p01, p02") == true)
        let empty = #expect(throws: WorkloadError.self) { try exporter.export(participant: "p01", fromMicros: 2_000_000, toMicros: 2_000_000, to: out) }
        #expect(empty?.code == .usage && empty?.message.contains("empty range") == true)
        let late = #expect(throws: WorkloadError.self) { try exporter.export(participant: "p01", fromMicros: 9_000_000, toMicros: 10_000_000, to: out) }
        #expect(late?.code == .usage && late?.message.contains("end of the session") == true)
        let wrongKind = #expect(throws: WorkloadError.self) { try exporter.export(participant: "p01", fromMicros: 0, toMicros: 1_000_000, kinds: [.audio], to: "\(directory)/a.ivf") }
        #expect(wrongKind?.code == .usage && wrongKind?.message.contains("use .webm") == true)
        let format = #expect(throws: WorkloadError.self) { try exporter.export(participant: "p01", fromMicros: 0, toMicros: 1_000_000, to: "\(directory)/a.mp4") }
        #expect(format?.code == .usage && format?.message.contains(".webm, .ivf or .ogg") == true)
        let rid = #expect(throws: WorkloadError.self) { try exporter.export(participant: "p01", fromMicros: 0, toMicros: 1_000_000, rid: "x", to: out) }
        #expect(rid?.message.contains("no encoding x; rids: q, h, f") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
    }
}
