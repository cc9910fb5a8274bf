import ControlAPI
import Engine
import EngineClient
import Foundation
import Harness
import LiveRecorder
import Media
import NIOConcurrencyHelpers
import Testing

/// `sfulab record --engine`: real recorded media (a shipped workload's Opus and VP8 simulcast
/// packets) published into an in-process server over UDP in real time, recorded through a tap,
/// then checked packet for packet, replayed in simulation and clipped.
@Suite struct LiveRecordTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let meeting = repository.appendingPathComponent("Workloads/meeting-5-desktop.sfuw").path

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("live-record-\(getpid())-\(name)").path
    }

    /// What one encoding sent: its records and packets, and where the recording must put them.
    struct SentEncoding {
        var participant: String
        var stream: String
        var rid: String?
        var ssrc: UInt32
        var records: [WorkloadPacket]
        var packets: [[UInt8]] = []
    }

    /// Runs `body` on a thread of its own; the returned function waits for its result (nil when
    /// it did not finish within `seconds`).
    static func inBackground<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () -> T) -> () -> T? {
        let result = NIOLockedValueBox<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            result.withLockedValue { $0 = body() }
            done.signal()
        }
        return { done.wait(timeout: .now() + seconds) == .success ? result.withLockedValue { $0 } : nil }
    }

    @Test func recordsALiveRoomPacketForPacketThenReplaysAndClipsIt() throws {
        let source = try WorkloadReader(path: Self.meeting)
        func records(_ participant: String, _ stream: String, rid: String?, before end: Int64) throws -> [WorkloadPacket] {
            var cursor = try source.packets(participant: participant, stream: stream, rid: rid)
            return try cursor.all().filter { $0.captureTimeMicros < end }
        }
        let out = Self.temporaryPath("session.sfuw")
        let replayed = Self.temporaryPath("replayed.sfuw")
        defer { for path in [out, replayed] { try? FileManager.default.removeItem(atPath: path) } }

        try ServerFixture.run { fixture in
            let client = fixture.client
            let room = "live"
            let opus = try fixture.payloadType("audio/opus")
            let vp8 = try fixture.payloadType("video/VP8")
            let publisherA = try UDPPeer(group: fixture.peers)
            let publisherB = try UDPPeer(group: fixture.peers)
            let viewer = try UDPPeer(group: fixture.peers)
            defer { publisherA.close(); publisherB.close(); viewer.close() }

            // Before the recording: publisher A (microphone, camera in three simulcast encodings) and a viewer of both.
            let sendA = try client.createTransport(room: room)
            let receive = try client.createTransport(room: room, comedia: false)
            try client.connectTransport(room: room, transport: receive.id, ip: "127.0.0.1", port: viewer.port)
            let micA = try client.produce(room: room, transport: sendA.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: opus, encodings: [ProducerEncoding(ssrc: 0xA1)]))
            let camA = try client.produce(room: room, transport: sendA.id, ProducerOptions(
                kind: .video, mimeType: "video/VP8", payloadType: vp8, encodings: [
                    ProducerEncoding(ssrc: 0xA2, rid: "q", maxBitrate: 150_000), ProducerEncoding(ssrc: 0xA3, rid: "h", maxBitrate: 400_000),
                    ProducerEncoding(ssrc: 0xA4, rid: "f", maxBitrate: 1_000_000),
                ]))
            for producer in [micA, camA] {
                _ = try client.consume(room: room, transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            }

            let split: Int64 = 600_000
            let end: Int64 = 1_200_000
            var sentA = [SentEncoding(participant: "transport-0", stream: "transport-0-mic", rid: nil, ssrc: 0xA1,
                                      records: try records("p01", "p01-mic", rid: nil, before: end))]
            for (rid, ssrc) in [("q", UInt32(0xA2)), ("h", 0xA3), ("f", 0xA4)] {
                sentA.append(SentEncoding(participant: "transport-0", stream: "transport-0-cam", rid: rid, ssrc: ssrc,
                                          records: try records("p01", "p01-cam", rid: rid, before: end)))
            }
            var micB = SentEncoding(participant: "transport-2", stream: "transport-2-mic", rid: nil, ssrc: 0xB1,
                                    records: try records("p02", "p02-mic", rid: nil, before: end))
            let firstB = try #require(micB.records.first).captureTimeMicros
            micB.records = micB.records.filter { $0.captureTimeMicros < firstB + end - split }
            #expect(sentA.allSatisfy { !$0.records.isEmpty } && !micB.records.isEmpty)

            // Build the RTP packets; phase 1 sends A's first 600 ms, phase 2 the rest of A and B's first 600 ms.
            var phase1: [PacedPublisher.Item] = []
            var phase2A: [PacedPublisher.Item] = []
            for index in sentA.indices {
                var stream = PacedPublisher.Stream(ssrc: sentA[index].ssrc, payloadType: index == 0 ? opus : vp8, isVideo: index > 0,
                                                   sequence: UInt16(1_000 * index), timestampBase: 0x1234_0000)
                for record in sentA[index].records {
                    let packet = stream.packet(record)
                    sentA[index].packets.append(packet)
                    let item = PacedPublisher.Item(offsetMicros: record.captureTimeMicros % split, ssrc: sentA[index].ssrc, bytes: packet)
                    if record.captureTimeMicros < split { phase1.append(item) } else { phase2A.append(item) }
                }
            }
            var streamB = PacedPublisher.Stream(ssrc: 0xB1, payloadType: opus, isVideo: false, sequence: 65_500, timestampBase: 0xFFFF_0000)
            var phase2B: [PacedPublisher.Item] = []
            for record in micB.records {
                let packet = streamB.packet(record)
                micB.packets.append(packet)
                phase2B.append(PacedPublisher.Item(offsetMicros: record.captureTimeMicros - firstB, ssrc: 0xB1, bytes: packet))
            }

            // The recorder runs on its own thread until told to stop.
            let started = DispatchSemaphore(value: 0)
            let stop = NIOLockedValueBox(false)
            let url = fixture.server.controlURL
            let summary = Self.inBackground(seconds: 60) { () -> Result<EngineRoomRecorder.Summary, LiveRecordingError> in
                Result { () throws(LiveRecordingError) in
                    let recorder = try EngineRoomRecorder(url: url, room: room)
                    return try recorder.record(to: out, duration: nil, started: { started.signal() },
                                               shouldStop: { stop.withLockedValue { $0 } })
                }
            }
            try #require(started.wait(timeout: .now() + 20) == .success)
            let senderA = PacedPublisher(peer: publisherA)
            let senderB = PacedPublisher(peer: publisherB)
            _ = try #require(try waitFor(senderA.send(phase1, toPort: sendA.port), seconds: 20))
            // Mid-session: a second publisher appears while the recording runs.
            let sendB = try client.createTransport(room: room)
            _ = try client.produce(room: room, transport: sendB.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: opus, encodings: [ProducerEncoding(ssrc: 0xB1)]))
            let phase2 = try senderA.send(phase2A, toPort: sendA.port).and(senderB.send(phase2B, toPort: sendB.port))
            _ = try #require(try waitFor(phase2, seconds: 20))
            stop.withLockedValue { $0 = true }
            let result = try #require(summary(), "the recorder did not finish")
            let done = try result.get()
            #expect(done.stoppedBy == "interrupted")
            #expect(done.framesLost == 0 && done.framesUnattributed == 0)
            let sentCount = sentA.reduce(0) { $0 + $1.records.count } + micB.records.count
            #expect(done.packets == sentCount)
            #expect(done.tap?.framesDropped == 0)

            // The saved session: participants, streams, subscriptions, the late joiner.
            let reader = try WorkloadReader(path: out)
            let manifest = reader.manifest
            #expect(manifest.participants.map(\.id) == ["transport-0", "transport-1", "transport-2"])
            #expect(manifest.participants.map(\.role) == [.publisher, .viewer, .publisher])
            #expect(manifest.participants[0].streams.map(\.id) == ["transport-0-mic", "transport-0-cam"])
            #expect(manifest.participants[0].streams[1].encodings.map(\.rid) == ["q", "h", "f"])
            #expect(manifest.participants[0].streams[1].encodings.map(\.maxBitrate) == [150_000, 400_000, 1_000_000])
            #expect(manifest.participants[1].subscriptions.map(\.stream) == ["transport-0-mic", "transport-0-cam"])
            let joinB = try #require(manifest.events.first { $0.kind == .join && $0.participant == "transport-2" }).timeMicros
            #expect(joinB >= split * 3 / 4)
            #expect(manifest.recording?.devicesKnown == false && manifest.recording?.framesLost == 0)
            // Picture sizes from the key frames, frame rates from the capture times.
            for rid in ["q", "h", "f"] {
                let recorded = try #require(manifest.track("transport-0-cam-\(rid)"))
                let original = try #require(source.manifest.track("cam-desktop-0-\(rid)"))
                #expect(recorded.width == original.width && recorded.height == original.height)
                #expect(abs((recorded.frameRate ?? 0) - (original.frameRate ?? 0)) <= 2, "\(rid): \(recorded.frameRate ?? 0) fps")
            }

            // Packet for packet: payloads, RTP timestamps and frame flags as sent; capture times
            // monotonic and spaced as the packets actually left (within 50 ms).
            for sent in sentA + [micB] {
                var cursor = try reader.packets(participant: sent.participant, stream: sent.stream, rid: sent.rid)
                let recorded = try cursor.all()
                let label = "\(sent.stream)/\(sent.rid ?? "-")"
                #expect(recorded.map(\.payload) == sent.records.map(\.payload), "\(label) payloads")
                let firstTimestamp = sent.records[0].rtpTimestamp
                #expect(recorded.map(\.rtpTimestamp) == sent.records.map { $0.rtpTimestamp &- firstTimestamp }, "\(label) timestamps")
                if sent.rid != nil {
                    #expect(recorded.map(\.isKeyFrame) == sent.records.map(\.isKeyFrame), "\(label) key frames")
                    #expect(recorded.map(\.isFrameStart) == sent.records.map(\.isFrameStart), "\(label) frame starts")
                    #expect(recorded.map(\.isFrameEnd) == sent.records.map(\.isFrameEnd), "\(label) frame ends")
                    #expect(recorded.map(\.temporalLayer) == sent.records.map(\.temporalLayer), "\(label) temporal layers")
                }
                let times = (sent.ssrc == 0xB1 ? senderB : senderA).sendTimes(sent.ssrc)
                guard recorded.count == times.count, let first = recorded.first else { continue }
                #expect(zip(recorded, recorded.dropFirst()).allSatisfy { $0.captureTimeMicros <= $1.captureTimeMicros })
                let worst = zip(recorded, times).map { record, sentAt in
                    abs((record.captureTimeMicros - first.captureTimeMicros) - Int64(sentAt - times[0]) / 1_000)
                }.max() ?? 0
                #expect(worst <= 50_000, "\(label): capture spacing differs from send spacing by \(worst) µs")
            }

            // Replayed in simulation, exactly as recorded: the viewer decodes video, and saving the
            // replay gives the same packets.
            var runner = TrialRunner()
            runner.replaysVerbatim = true
            let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(file: out), network: try NetworkScenario.preset(named: "lossless"),
                                 duration: .microseconds(manifest.durationMicros), seed: 1)
            let trial = try runner.run(spec, recordingTo: replayed)
            #expect((trial.metrics["videoFramesDecoded"] ?? 0) > 0)
            let again = try WorkloadReader(path: replayed)
            for sent in sentA + [micB] {
                var original = try reader.packets(participant: sent.participant, stream: sent.stream, rid: sent.rid)
                var replay = try again.packets(participant: sent.participant, stream: sent.stream, rid: sent.rid)
                #expect(try replay.all().map(\.payload) == original.all().map(\.payload), "replayed \(sent.stream)/\(sent.rid ?? "-")")
            }

            // Clips export from it.
            let exporter = ClipExporter(reader: reader)
            #expect(try exporter.audioOgg(participant: "transport-0", fromMicros: 0, toMicros: 1_000_000).frames > 0)
            #expect(try exporter.webM(participant: "transport-0", fromMicros: 0, toMicros: 1_000_000, rid: "f").frames > 0)
        }
    }
}
