import Engine
import Foundation
import Harness
import Media
import RTP
import Testing

/// `sfulab record` then `sfulab replay`: the packets the replay sends (as the engine receives
/// them) equal the packets recorded.
@Suite struct RecordReplayTests {
    @Test func replayedPacketsEqualRecordedPackets() throws {
        // Record a lossy 4g session: the recording holds what reached the engine.
        let recorded = RecordedFixtures.temporaryPath("session.sfuw")
        _ = try TrialRunner().run(RecordedFixtures.spec(RecordedFixtures.meeting, network: "4g"), recordingTo: recorded)
        // Replay it verbatim over a lossless network, recording again.
        let (replayed, result) = try RecordedFixtures.replayVerbatim(recorded, seed: 77)
        #expect(result.metrics["frameLatency.count", default: 0] > 100)

        let original = try RecordedFixtures.packets(recorded)
        let again = try RecordedFixtures.packets(replayed)
        #expect(original.count == 12)  // 3 participants x (Opus + 3 VP8 simulcast encodings)
        #expect(original.keys.sorted() == again.keys.sorted())
        var total = 0
        for (track, packets) in original {
            total += packets.count
            let other = again[track] ?? []
            #expect(packets.count == other.count, "track \(track)")
            if let index = packets.indices.first(where: { $0 < other.count && packets[$0] != other[$0] }) {
                Issue.record("track \(track): packet \(index) differs: \(packets[index]) vs \(other[index])")
            }
        }
        #expect(total > 1_000)
        let first = try WorkloadReader(path: recorded).manifest
        let second = try WorkloadReader(path: replayed).manifest
        #expect(first.participants == second.participants)
        #expect(first.events == second.events)
        // And the files as a whole: the replay's recording is the recording, byte for byte.
        #expect(try Data(contentsOf: URL(fileURLWithPath: recorded)) == Data(contentsOf: URL(fileURLWithPath: replayed)))
    }
}

/// A recorded session holds real media: every encoding of a camera decodes with libvpx from its
/// first frame to its last (key-frame skips land on key frames), and clip export works on it.
@Suite struct RecordedSessionMediaTests {
    @Test func recordedVideoDecodesFrameByFrame() throws {
        let recorded = RecordedFixtures.temporaryPath("decodable.sfuw")
        _ = try TrialRunner().run(RecordedFixtures.spec(RecordedFixtures.meeting, network: "lossless"), recordingTo: recorded)
        let reader = try WorkloadReader(path: recorded)
        let video = reader.manifest.tracks.filter { $0.kind == .video }
        #expect(video.count == 9)
        var decodedFrames = 0
        for track in video {
            var cursor = try reader.packets(track: track.id)
            let decoder = try VPXDecoder(codec: .vp8)
            var frame: [UInt8] = []
            var first = true
            while let packet = try cursor.next() {
                if packet.isFrameStart { frame.removeAll() }
                if first { #expect(packet.isKeyFrame, "\(track.id) starts with a key frame") }
                first = false
                let descriptor = try VP8PayloadDescriptor(parsing: packet.payload)
                frame += packet.payload[descriptor.encodedLength...]
                if packet.isFrameEnd {
                    #expect(try decoder.decode(frame) == 1, "\(track.id) at \(packet.captureTimeMicros) µs")
                    decodedFrames += 1
                }
            }
            #expect(track.frameCount > 0 && decoder.lastSize.width == track.width)
        }
        #expect(decodedFrames > 300)
    }
}
