import Foundation
import Testing
@testable import Media

/// Readers stream: replaying a session of 60 participants holds one 64 KiB buffer per stream,
/// whatever the size of the file.
@Suite struct WorkloadStreamingTests {
    @Test func sixtyParticipantsReplayWithBoundedMemory() throws {
        let path = TestFiles.temporaryPath("sixty.sfuw")
        let writer = try WorkloadWriter(path: path)
        let participants = 60, packets = 400
        var tracks: [WorkloadTrack] = []
        var roster: [WorkloadParticipant] = []
        for number in 0..<participants {
            let id = String(format: "p%02d", number + 1)
            try writer.beginTrack(WorkloadTrack(id: "\(id)-t", kind: .audio, codec: "opus", clockRate: 48_000, targetBitrate: 480_000,
                                                source: "test", durationMicros: Int64(packets) * 20_000))
            for index in 0..<packets {
                let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: number &+ index), count: 1_200)
                try writer.append(WorkloadPacket(captureTimeMicros: Int64(index) * 20_000, rtpTimestamp: UInt32(index * 960),
                                                 isFrameEnd: true, isFrameStart: true, isKeyFrame: false, payload: payload))
            }
            tracks.append(try writer.endTrack())
            roster.append(WorkloadParticipant(
                id: id, role: .publisher, device: .desktop,
                streams: [WorkloadStream(id: "\(id)-mic", kind: .audio, codec: "opus", clockRate: 48_000, source: "microphone",
                                         encodings: [WorkloadEncoding(rid: nil, track: "\(id)-t", maxBitrate: 480_000)],
                                         timeShiftMicros: Int64(number) * 1_000)],
                subscriptions: []))
        }
        try writer.finish(WorkloadManifest(durationMicros: Int64(packets) * 20_000 + 100_000, tracks: tracks, participants: roster, events: []))

        let reader = try WorkloadReader(path: path)
        var session = try reader.sessionPackets()
        var count = 0, peak = 0, last = Int64.min
        while let item = try session.next() {
            #expect(item.packet.captureTimeMicros >= last)
            last = item.packet.captureTimeMicros
            count += 1
            peak = max(peak, session.bufferedBytes)
        }
        #expect(count == participants * packets)
        #expect(reader.fileSize > 28_000_000)
        #expect(peak <= participants * 65_536, "peak \(peak) bytes buffered")
        #expect(Int64(peak) * 7 < reader.fileSize, "the file is never read whole: peak \(peak) of \(reader.fileSize) bytes")
        try? FileManager.default.removeItem(atPath: path)
    }
}
