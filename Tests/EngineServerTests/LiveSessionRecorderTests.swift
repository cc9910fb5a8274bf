import ControlAPI
import Engine
import Foundation
import LiveRecorder
import Media
import RTP
import Testing

/// How tap frames and listings become participants, streams, events and packets, without
/// sockets: frames are built here as the server builds them.
@Suite struct LiveSessionRecorderTests {
    /// Frames of a fake tap, numbered in order.
    struct FakeTap {
        var sequence: UInt32 = 0

        mutating func media(_ producer: Int, transport: Int, encoding: Int = 0, at micros: UInt64, _ packet: [UInt8],
                            retransmission: Bool = false) -> TapFrame {
            defer { sequence += 1 }
            return TapFrame(kind: .media, isRetransmission: retransmission, encodingIndex: encoding, sequence: sequence,
                            timeMicros: micros, producer: producer, transport: transport, body: packet)
        }

        mutating func event(_ event: TapFrame.Event, _ description: ProducerDescription, at micros: UInt64) -> TapFrame {
            defer { sequence += 1 }
            return TapFrame(kind: .event, event: event, sequence: sequence, timeMicros: micros, producer: description.id,
                            transport: description.transport, body: Array(try! JSONEncoder().encode(description)))
        }
    }

    static func audio(_ id: Int, transport: Int, paused: Bool = false, consumers: [ProducerDescription.ConsumerEntry] = []) -> ProducerDescription {
        ProducerDescription(id: id, transport: transport, kind: .audio, mimeType: "audio/opus", clockRate: 48_000, payloadType: 100,
                            rtxPayloadType: nil, encodings: [EncodingInfo(ssrc: UInt32(1_000 + id))], paused: paused, consumers: consumers)
    }

    static func packet(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, byte: UInt8) -> [UInt8] {
        try! RTPPacketBuilder(payloadType: 100, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc)
            .build(payload: [UInt8](repeating: byte, count: 40))
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("live-recorder-\(getpid())-\(name)").path
    }

    @Test func producersBecomeParticipantsStreamsSubscriptionsAndEvents() throws {
        let recorder = LiveSessionRecorder(source: "test room")
        // At the start: transport 0 publishes audio, consumed by transport 5 (a viewer).
        recorder.start(with: ProducerList(room: "r", producers: [
            Self.audio(0, transport: 0, consumers: [.init(id: 0, transport: 5, paused: false)]),
        ]))
        var tap = FakeTap()
        var frames: [TapFrame] = []
        for i in 0..<10 {
            frames.append(tap.media(0, transport: 0, at: UInt64(i) * 20_000,
                                    Self.packet(ssrc: 1_000, sequence: UInt16(i), timestamp: UInt32(i) * 960, byte: UInt8(i))))
        }
        // A producer created later on a new transport: its first packet overtakes its event.
        let late = Self.audio(1, transport: 1)
        frames.append(tap.media(1, transport: 1, at: 150_000, Self.packet(ssrc: 1_001, sequence: 7, timestamp: 0, byte: 0xEE)))
        frames.append(tap.event(.producerCreated, late, at: 140_000))
        frames.append(tap.event(.producerPaused, Self.audio(0, transport: 0, paused: true), at: 200_000))
        frames.append(tap.event(.producerResumed, Self.audio(0, transport: 0), at: 300_000))
        frames.append(tap.event(.producerClosed, late, at: 400_000))
        var refresh: [Bool] = []
        for frame in frames { refresh.append(recorder.ingest(frame)) }
        #expect(refresh[10] == true)  // media of an unknown producer: read the listing again
        #expect(refresh.enumerated().allSatisfy { $0.offset == 10 || !$0.element })
        #expect(recorder.framesLost == 0 && recorder.framesUnattributed == 0)

        let path = Self.temporaryPath("mapping.sfuw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try recorder.finish(path: path, durationMicros: 500_000)
        let manifest = try WorkloadReader(path: path).manifest
        #expect(manifest.participants.map(\.id) == ["transport-0", "transport-5", "transport-1"])
        #expect(manifest.participants.map(\.role) == [.publisher, .viewer, .publisher])
        #expect(manifest.participants[0].streams.map(\.id) == ["transport-0-mic"])
        #expect(manifest.participants[1].subscriptions == [WorkloadSubscription(participant: "transport-0", stream: "transport-0-mic")])
        #expect(manifest.recording?.devicesKnown == false)
        #expect(manifest.recording?.framesLost == 0)
        let events = manifest.events.map { "\($0.timeMicros) \($0.kind.rawValue) \($0.participant) \($0.stream ?? "")" }
        #expect(events == [
            "0 join transport-0 ", "0 join transport-5 ", "140000 join transport-1 ",
            "200000 mute transport-0 transport-0-mic", "300000 unmute transport-0 transport-0-mic",
            "400000 mute transport-1 transport-1-mic",
        ])
        // Every packet, in order, with its time; the late producer's packet was kept until it was described.
        let reader = try WorkloadReader(path: path)
        var firstCursor = try reader.packets(participant: "transport-0", stream: "transport-0-mic")
        let first = try firstCursor.all()
        #expect(first.map(\.captureTimeMicros) == (0..<10).map { Int64($0) * 20_000 })
        #expect(first.map { $0.payload[0] } == (0..<10).map { UInt8($0) })
        #expect(first.map(\.rtpTimestamp) == (0..<10).map { UInt32($0) * 960 })
        var secondCursor = try reader.packets(participant: "transport-1", stream: "transport-1-mic")
        let second = try secondCursor.all()
        #expect(second.map(\.captureTimeMicros) == [150_000])
        // Bitrates the producers did not declare are measured.
        #expect(manifest.tracks.allSatisfy { $0.targetBitrate > 0 })
    }

    @Test func gapsAreCountedAndRetransmissionsKeepTheirPlace() throws {
        let recorder = LiveSessionRecorder(source: "test")
        recorder.start(with: ProducerList(room: "r", producers: [Self.audio(0, transport: 0)]))
        var tap = FakeTap()
        let packets = (0..<6).map { Self.packet(ssrc: 1_000, sequence: UInt16(truncatingIfNeeded: 65_534 + $0), timestamp: UInt32($0) * 960, byte: UInt8($0)) }
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 0, packets[0])))
        tap.sequence += 2  // two frames lost on the way
        #expect(recorder.ingest(tap.media(0, transport: 0, at: 20_000, packets[1])))
        #expect(recorder.framesLost == 2)
        // Packet 3 lost upstream, 4 and 5 arrive, then 3 comes back through RTX, late.
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 40_000, packets[2])))
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 80_000, packets[4])))
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 100_000, packets[5])))
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 250_000, packets[3], retransmission: true)))
        // A duplicate (retransmitted again) is recorded once.
        #expect(!recorder.ingest(tap.media(0, transport: 0, at: 260_000, packets[3], retransmission: true)))
        recorder.noteFinalFrameCount(Int(tap.sequence) + 3)
        #expect(recorder.framesLost == 5)

        let path = Self.temporaryPath("gaps.sfuw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try recorder.finish(path: path, durationMicros: 300_000)
        var cursor = try WorkloadReader(path: path).packets(participant: "transport-0", stream: "transport-0-mic")
        let recorded = try cursor.all()
        #expect(recorded.map { $0.payload[0] } == [0, 1, 2, 3, 4, 5])
        #expect(recorded.map(\.captureTimeMicros) == [0, 20_000, 40_000, 40_000, 80_000, 100_000])
        #expect(try WorkloadReader(path: path).manifest.recording?.framesLost == 5)
    }

    @Test func aNewSSRCOnAnEncodingIsADeviceSwitchAndANewGeneration() throws {
        let recorder = LiveSessionRecorder(source: "test")
        recorder.start(with: ProducerList(room: "r", producers: [Self.audio(0, transport: 0)]))
        var tap = FakeTap()
        recorder.ingest(tap.media(0, transport: 0, at: 0, Self.packet(ssrc: 1_000, sequence: 10, timestamp: 5_000, byte: 1)))
        recorder.ingest(tap.media(0, transport: 0, at: 20_000, Self.packet(ssrc: 1_000, sequence: 11, timestamp: 5_960, byte: 2)))
        recorder.ingest(tap.media(0, transport: 0, at: 1_000_000, Self.packet(ssrc: 4_242, sequence: 900, timestamp: 777, byte: 3)))
        let path = Self.temporaryPath("switch.sfuw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try recorder.finish(path: path, durationMicros: 1_100_000)
        let reader = try WorkloadReader(path: path)
        #expect(reader.manifest.events.contains(WorkloadEvent(timeMicros: 1_000_000, kind: .deviceSwitch, participant: "transport-0",
                                                              stream: "transport-0-mic")))
        var cursor = try reader.packets(participant: "transport-0", stream: "transport-0-mic")
        let recorded = try cursor.all()
        #expect(recorded.map { $0.payload[0] } == [1, 2, 3])
        // The new source's timestamps continue from the capture-time distance (1 s = 48000 ticks).
        #expect(recorded.map(\.rtpTimestamp) == [0, 960, 48_000])
    }

    @Test func mediaOfProducersNeverDescribedIsCountedNotRecorded() throws {
        let recorder = LiveSessionRecorder(source: "test")
        recorder.start(with: ProducerList(room: "r", producers: []))
        var tap = FakeTap()
        #expect(recorder.ingest(tap.media(7, transport: 3, at: 0, Self.packet(ssrc: 1, sequence: 1, timestamp: 0, byte: 1))))
        let path = Self.temporaryPath("unknown.sfuw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try recorder.finish(path: path, durationMicros: 1_000)
        #expect(recorder.framesUnattributed == 1)
        let manifest = try WorkloadReader(path: path).manifest
        #expect(manifest.participants.isEmpty && manifest.recording?.framesLost == 1)
    }
}

extension WorkloadPacketCursor {
    /// Every remaining packet.
    mutating func all() throws -> [WorkloadPacket] {
        var packets: [WorkloadPacket] = []
        while let packet = try next() { packets.append(packet) }
        return packets
    }
}
