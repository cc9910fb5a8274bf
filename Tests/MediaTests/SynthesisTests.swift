import Foundation
import Testing
import RTP
@testable import Media

/// Synthesized media decodes, has the right frame counts and layer structure, and meets its bitrates.
@Suite struct SynthesisTests {
    @Test(arguments: ["desktop", "mobile"])
    func videoDecodesWithRightStructure(device: String) throws {
        let fixture = device == "desktop" ? TestFiles.desktopMeeting : TestFiles.mobileMeeting
        let reader = try WorkloadReader(path: fixture.path)
        let profile: VideoProfile = device == "desktop" ? .desktop : .mobile
        let videoTracks = reader.manifest.tracks.filter { $0.kind == .video }
        #expect(videoTracks.count == profile.encodings.count * (device == "desktop" ? 2 : 1))
        let seconds = Double(reader.manifest.durationMicros) / 1e6
        for track in videoTracks {
            let packets = try TestFiles.all(reader, track: track.id)
            let decoder = try VPXDecoder(codec: .vp8)
            var frame: [UInt8] = []
            var decoded = 0
            var layers: [UInt8] = []
            var firstKey: Bool?
            for packet in packets {
                let descriptor = try VP8PayloadDescriptor(parsing: packet.payload)
                #expect(descriptor.isStartOfFrame == packet.isFrameStart)
                #expect(descriptor.temporalLayerID == packet.temporalLayer)
                if packet.isFrameStart { frame.removeAll(keepingCapacity: true) }
                frame.append(contentsOf: packet.payload[descriptor.encodedLength...])
                if packet.isFrameEnd {
                    if firstKey == nil { firstKey = packet.isKeyFrame }
                    #expect(try decoder.decode(frame) == 1)
                    #expect(decoder.lastSize == (track.width!, track.height!))
                    layers.append(packet.temporalLayer)
                    decoded += 1
                }
            }
            #expect(firstKey == true, "\(track.id) starts with a key frame")
            #expect(decoded == Int(seconds * Double(profile.frameRate)), "\(track.id) frames")
            #expect(decoded == track.frameCount)
            let expected = (0..<decoded).map { [UInt8(0), 2, 1, 2][$0 % 4] }
            #expect(layers == expected, "\(track.id) TIDs follow 0,2,1,2")
        }
    }

    /// Bitrate of each encoding over [1 s, end): the first second holds the key-frame burst and
    /// rate-control start-up. Counted: VP8 bytes without the payload descriptor.
    @Test(arguments: ["desktop", "mobile"])
    func encodingsMeetTargetBitrates(device: String) throws {
        let fixture = device == "desktop" ? TestFiles.desktopMeeting : TestFiles.mobileMeeting
        let reader = try WorkloadReader(path: fixture.path)
        for track in reader.manifest.tracks where track.kind == .video {
            var bytes = 0
            var cursor = try reader.packets(track: track.id)
            while let packet = try cursor.next() {
                guard packet.captureTimeMicros >= 1_000_000 else { continue }
                bytes += packet.payload.count - (try VP8PayloadDescriptor(parsing: packet.payload)).encodedLength
            }
            let window = Double(track.durationMicros - 1_000_000) / 1e6
            let measured = Double(bytes * 8) / window
            let ratio = measured / Double(track.targetBitrate)
            print("bitrate \(track.id) \(track.width!)x\(track.height!): \(Int(measured / 1000)) kb/s vs target \(track.targetBitrate / 1000) (\(Int(ratio * 100)) %)")
            #expect(abs(ratio - 1) <= 0.15, "\(track.id): \(Int(measured)) b/s vs \(track.targetBitrate)")
        }
    }

    @Test func audioDecodesAndUsesDTX() throws {
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        for track in reader.manifest.tracks where track.kind == .audio {
            let packets = try TestFiles.all(reader, track: track.id)
            let decoder = try OpusDecoder()
            for packet in packets { #expect(try decoder.decode(packet.payload) == 960) }
            let frames = Int(track.durationMicros / 20_000)
            // DTX: fewer packets than 20 ms frames, because pauses send (almost) nothing.
            #expect(packets.count < frames)
            #expect(packets.count > frames / 5)
        }
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let spec = SynthesisSpec(participants: 3, kind: .meeting, device: .mobile, durationMicros: 1_000_000, seed: 42)
        let first = TestFiles.synthesize(spec).path
        let second = TestFiles.synthesize(spec).path
        let directory = (first as NSString).deletingLastPathComponent
        let names = [first, second].map { ($0 as NSString).lastPathComponent }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            names.contains { name.hasPrefix($0 + ".") }
        }
        #expect(leftovers.isEmpty, "spools and temporary files are removed: \(leftovers)")
        let identical = TestFiles.bytes(first) == TestFiles.bytes(second)
        #expect(identical, "same seed, different bytes")
        var other = spec
        other.seed = 43
        let differs = TestFiles.bytes(TestFiles.synthesize(other).path) != TestFiles.bytes(first)
        #expect(differs, "another seed, same bytes")
    }

    @Test func fiftyParticipantsReuseFewSources() throws {
        let spec = SynthesisSpec(participants: 50, kind: .meeting, device: .mixed, durationMicros: 1_000_000, seed: 5)
        let reader = try WorkloadReader(path: TestFiles.synthesize(spec).path)
        let manifest = reader.manifest
        #expect(manifest.participants.count == 50)
        #expect(manifest.synthesis?.distinctSources == 3)
        // 3 microphones + 3 desktop cameras x 3 encodings + 3 mobile cameras x 2 encodings.
        #expect(manifest.tracks.count == 3 + 9 + 6)
        #expect(Set(manifest.participants.map(\.device)) == [.desktop, .mobile])
        #expect(manifest.participants.allSatisfy { $0.subscriptions.count == 49 * 2 })
        let shifts = manifest.participants.map { $0.streams[0].timeShiftMicros }
        #expect(Set(shifts).count == 50, "participants sharing a source are shifted apart")
        // Every participant's streams can be read at the same time, in session time.
        var cursors = try manifest.participants.flatMap { participant in
            try participant.streams.map { stream in
                try reader.packets(participant: participant.id, stream: stream.id, rid: stream.encodings.count > 1 ? "q" : nil)
            }
        }
        var count = 0
        for index in cursors.indices {
            while let packet = try cursors[index].next() {
                #expect(packet.captureTimeMicros >= cursors[index].timeShiftMicros)
                #expect(packet.captureTimeMicros < manifest.durationMicros)
                count += 1
            }
        }
        #expect(count > 0)
    }

    @Test(arguments: SynthesisSpec.Kind.allCases)
    func everyKindHasItsShape(kind: SynthesisSpec.Kind) throws {
        let spec = SynthesisSpec(participants: 3, kind: kind, device: .mobile, durationMicros: 1_000_000, seed: 9)
        let manifest = try WorkloadReader(path: TestFiles.synthesize(spec).path).manifest
        let streamSources = manifest.participants.map { $0.streams.map(\.source) }
        switch kind {
        case .meeting: #expect(streamSources == Array(repeating: ["microphone", "camera"], count: 3))
        case .webinar:
            #expect(streamSources == [["microphone", "camera"], [], []])
            #expect(manifest.participants.map(\.role) == [.publisher, .viewer, .viewer])
        case .screen:
            #expect(streamSources == [["microphone", "screen"], ["microphone"], ["microphone"]])
            #expect(manifest.events.contains { $0.kind == .screenShareStart })
        case .audio: #expect(streamSources == Array(repeating: ["microphone"], count: 3))
        }
        #expect(manifest.events.filter { $0.kind == .join }.count == 3)
        #expect(manifest.events.map(\.timeMicros) == manifest.events.map(\.timeMicros).sorted())
    }

    @Test func deviceSwitchIsAnEventOfTheFirstParticipantsCamera() throws {
        var spec = SynthesisSpec(participants: 2, kind: .audio, durationMicros: 1_000_000, seed: 3, deviceSwitchMicros: 400_000)
        let audio = try WorkloadReader(path: TestFiles.synthesize(spec).path).manifest
        #expect(audio.events.filter { $0.kind == .deviceSwitch }
            == [WorkloadEvent(timeMicros: 400_000, kind: .deviceSwitch, participant: "p01", stream: "p01-mic", device: .desktop)],
            "without a camera, the microphone")
        for time: Int64 in [0, 1_000_000, -5] {
            spec.deviceSwitchMicros = time
            #expect(throws: WorkloadError.self) { try spec.validate() }
        }
        let path = TestFiles.temporaryPath("refused.sfuw")
        #expect(throws: WorkloadError.self) { try WorkloadSynthesizer(spec: spec).write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
