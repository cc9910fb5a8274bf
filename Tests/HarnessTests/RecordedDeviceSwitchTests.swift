import Engine
import Foundation
import Harness
import Media
import RTP
import Testing

/// A `deviceSwitch` event: the publisher restarts its stream with new SSRCs, sequence numbers and
/// timestamps and a key frame, the engine is told (`replaceProducerSource`), and subscribers keep
/// decoding one continuous stream; the gap is measured.
@Suite struct RecordedDeviceSwitchTests {
    /// 3 participants, 3 s, participant 1 switches at 1.5 s. Key frames only at the start of each
    /// track, so subscribers decode after the switch only if a key frame really is sent then.
    static func workload(_ kind: SynthesisSpec.Kind, switchAt: Int64? = 1_500_000, codec: SynthesisSpec.VideoCodec = .vp8) -> String {
        let path = RecordedFixtures.temporaryPath("\(kind)-switch.sfuw")
        let spec = SynthesisSpec(participants: 3, kind: kind, device: .desktop, durationMicros: 3_000_000, seed: 21,
                                 maxDistinctSources: 1, keyFrameIntervalSeconds: 10, joinSpreadMicros: 0, videoCodec: codec,
                                 deviceSwitchMicros: switchAt)
        do { _ = try WorkloadSynthesizer(spec: spec).write(to: path) } catch { fatalError("synthesis failed: \(error)") }
        return path
    }

    static let meeting = workload(.meeting)
    static let meetingWithoutSwitch = workload(.meeting, switchAt: nil)

    @Test(arguments: [SynthesisSpec.Kind.meeting, .audio])
    func subscribersKeepDecodingWithContinuousSequenceNumbers(kind: SynthesisSpec.Kind) throws {
        let path = kind == .meeting ? Self.meeting : Self.workload(kind)
        let manifest = try WorkloadReader(path: path).manifest
        let switchEvent = try #require(manifest.events.first { $0.kind == .deviceSwitch })
        #expect(switchEvent.participant == "p01" && switchEvent.stream == (kind == .meeting ? "p01-cam" : "p01-mic"))
        let result = try TrialRunner().run(RecordedFixtures.spec(path, network: "lossless"))
        let metrics = result.metrics
        // One continuous stream per consumer: a jump in the sequence numbers a subscriber sees
        // would count as expected-but-missing packets.
        #expect(metrics["packetsLostAfterRecovery"] == 0)
        #expect(metrics["freezeCount"] == 0)
        // The new SSRCs reached the engine before the packets did: had it not been told, every
        // packet of p01's new source would be dropped as unknown.
        #expect(metrics["engine.packetsDropped", default: 1] <= 2)
        let without = try TrialRunner().run(RecordedFixtures.spec(kind == .meeting ? Self.meetingWithoutSwitch : Self.workload(kind, switchAt: nil),
                                                                  network: "lossless")).metrics
        let expected = try #require(metrics["packetsExpected"]), baseline = try #require(without["packetsExpected"])
        #expect(abs(expected / baseline - 1) < 0.05, "\(expected) vs \(baseline) without the switch")
        #expect(without["deviceSwitch.streams"] == nil)
        if kind == .meeting {
            // p02 and p03 receive the switched camera; both decode the new source, soon.
            #expect(metrics["deviceSwitch.streams"] == 2)
            #expect(metrics["deviceSwitchGap.count"] == 2)
            #expect(metrics["deviceSwitchGap.max", default: .infinity] < 100, "\(metrics["deviceSwitchGap.max"] ?? -1) ms")
            #expect(metrics["videoFramesDecoded", default: 0] >= without["videoFramesDecoded", default: 0] - 6)
        } else {
            #expect(metrics["deviceSwitch.streams"] == nil, "audio switches are not measured")
        }
    }

    @Test func sameSeedSameResult() throws {
        let spec = try RecordedFixtures.spec(Self.meeting, network: "4g", seconds: 3, seed: 4)
        let first = try TrialRunner().run(spec)
        #expect(first.metrics["deviceSwitchGap.count"] == 2)
        #expect(try TrialRunner().run(spec) == first)
    }

    /// Recording a session with a switch keeps the switched stream in its tracks (decodable frame
    /// by frame across the switch), and replaying it records the same bytes again.
    @Test func recordedSwitchReplaysToTheSameBytes() throws {
        // Over a lossless network every frame of the switched camera decodes, across the switch.
        let clean = RecordedFixtures.temporaryPath("switch-clean.sfuw")
        _ = try TrialRunner().run(RecordedFixtures.spec(Self.meeting, network: "lossless"), recordingTo: clean)
        let reader = try WorkloadReader(path: clean)
        #expect(reader.manifest.events.contains { $0.kind == .deviceSwitch && $0.participant == "p01" })
        let track = try #require(reader.manifest.tracks.first { $0.id == "p01-cam-f" })
        var cursor = try reader.packets(track: track.id)
        let decoder = try VPXDecoder(codec: .vp8)
        var frame: [UInt8] = [], keysAfterSwitch = 0, framesAfterSwitch = 0
        var lastTimestamp: UInt32?
        while let packet = try cursor.next() {
            if packet.isFrameStart { frame.removeAll() }
            frame += packet.payload[try VP8PayloadDescriptor(parsing: packet.payload).encodedLength...]
            guard packet.isFrameEnd else { continue }
            if let lastTimestamp { #expect(Int32(bitPattern: packet.rtpTimestamp &- lastTimestamp) > 0, "file timestamps go forward") }
            lastTimestamp = packet.rtpTimestamp
            #expect(try decoder.decode(frame) == 1, "frame at \(packet.captureTimeMicros) µs")
            if packet.captureTimeMicros >= 1_500_000 {
                framesAfterSwitch += 1
                if packet.isKeyFrame { keysAfterSwitch += 1 }
            }
        }
        #expect(framesAfterSwitch > 30 && keysAfterSwitch >= 1)

        // A lossy recording replays (verbatim, lossless) to the same bytes.
        let recorded = RecordedFixtures.temporaryPath("switch-session.sfuw")
        _ = try TrialRunner().run(RecordedFixtures.spec(Self.meeting, network: "4g"), recordingTo: recorded)
        let (replayed, result) = try RecordedFixtures.replayVerbatim(recorded, seed: 78)
        #expect(result.metrics["deviceSwitchGap.count"] == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: recorded)) == Data(contentsOf: URL(fileURLWithPath: replayed)))
    }

    /// VP9 SVC sessions record with their spatial layers and picture boundaries, and replay to the same bytes.
    @Test func vp9SessionRecordsLayersAndReplaysToTheSameBytes() throws {
        let source = Self.workload(.meeting, codec: .vp9)
        let recorded = RecordedFixtures.temporaryPath("vp9-session.sfuw")
        _ = try TrialRunner().run(RecordedFixtures.spec(source, network: "lossless"), recordingTo: recorded)
        let reader = try WorkloadReader(path: recorded)
        let track = try #require(reader.manifest.tracks.first { $0.codec == "VP9" })
        var cursor = try reader.packets(track: track.id)
        var layers: Set<UInt8> = [], pictures = 0, keyPictures = 0
        while let packet = try cursor.next() {
            layers.insert(packet.spatialLayer)
            if packet.isFrameStart {
                #expect(packet.spatialLayer == 0)
                pictures += 1
                if packet.isKeyFrame { keyPictures += 1 }
            }
        }
        #expect(layers == [0, 1, 2])
        #expect(pictures > 60 && keyPictures >= 2, "the first picture and the one after the switch: \(keyPictures)")
        let (replayed, _) = try RecordedFixtures.replayVerbatim(recorded, seed: 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: recorded)) == Data(contentsOf: URL(fileURLWithPath: replayed)))
    }
}
