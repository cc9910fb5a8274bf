import Engine
import RTP
import Testing
@testable import Harness

/// The synthetic senders write their packets in place (into an UplinkOutbox); these tests rebuild each
/// packet the straightforward way (RTPPacketBuilder, descriptor bytes, probe, filler) and expect
/// the same bytes, and check the transport-wide slot the participant relies on without parsing.
@Suite("Synthetic packets")
struct SyntheticPacketTests {
    @Test("audio packets are what RTPPacketBuilder makes, with the audio level and the congestion slots")
    func audioPackets() throws {
        var random = SeededGenerator(seed: 3)
        var sender = AudioSender(ssrc: 0x1234, payloadType: 111, model: TalkSpurtModel(), random: &random)
        var check = SeededGenerator(seed: 3)
        var model = TalkSpurtModel()
        var sequence = UInt16(truncatingIfNeeded: check.next())
        var timestamp = UInt32(truncatingIfNeeded: check.next())
        let outbox = UplinkOutbox(capacity: 8)  // grows on the first packet
        var sent = 0
        for frame in 0..<500 {
            let now = Instant(nanoseconds: Int64(frame) * 20_000_000 + 7)
            let elapsed = Double(frame) * 0.020
            let wrote = sender.nextFrame(now: now, elapsed: elapsed, random: &random, sink: outbox.sink)
            let packets = outbox.drainedArrays()
            #expect(wrote == (packets.count == 1))
            let packet = packets.first
            defer { timestamp &+= 960 }
            guard let expectedFrame = model.frame(at: elapsed, random: &check) else {
                #expect(packet == nil)
                continue
            }
            var payload: [UInt8] = []
            ProbeHeader(captureTime: now.nanoseconds, sendTime: now.nanoseconds).write(into: &payload)
            if expectedFrame.bytes > ProbeHeader.size {
                payload += [UInt8](repeating: 0x5A, count: expectedFrame.bytes - ProbeHeader.size)
            }
            let level = AudioLevelExtension(voiceActivity: expectedFrame.level < 127, levelDecibelsBelowOverload: expectedFrame.level)
            let expected = try RTPPacketBuilder(
                marker: false, payloadType: 111, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: 0x1234,
                extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.audioLevel, value: level.extensionValue)]
                    + CongestionExtensions.slots).build(payload: payload)
            sequence &+= 1
            let got = try #require(packet)
            #expect(got == expected, "frame \(frame)")
            #expect(CongestionExtensions.SlotOffsets(in: got) == sender.congestionSlots)
            try expectStampsAtOffsetsLikeParse(got, offsets: try #require(sender.congestionSlots), now: now)
            sent += 1
        }
        // Both talk spurts and DTX pauses were covered.
        #expect(sent > 50 && sent < 500)
    }

    @Test("video packets: patched header, VP8 descriptor, payload header, probe and filler, as built piecewise")
    func videoPackets() throws {
        var random = SeededGenerator(seed: 5)
        let model = VideoFrameModel(bitrate: 1_500_000, framesPerSecond: 30, content: .camera)
        var sender = VideoSender(ssrc: 0xABCD, rtxSSRC: 0xABCE, payloadType: 96, rtxPayloadType: 97, model: model, random: &random)
        var check = SeededGenerator(seed: 5)
        var sequence = UInt16(truncatingIfNeeded: check.next())
        _ = check.next()  // RTX sequence
        var pictureID = UInt16(truncatingIfNeeded: check.next()) & 0x7FFF
        let header = try RTPPacketBuilder(marker: false, payloadType: 96, sequenceNumber: SequenceNumber(0), timestamp: 0, ssrc: 0xABCD,
                                          extensions: CongestionExtensions.slots).build(payload: [])
        let outbox = UplinkOutbox()
        var tl0: UInt8 = 0
        var packetsChecked = 0
        for frame in 0..<40 {
            let now = Instant(nanoseconds: Int64(frame) * 33_333_333)
            let timestamp = UInt32(frame) * 3_000 &+ 0xFFFF_F000
            sender.nextFrame(now: now, timestamp: timestamp, random: &random, sink: outbox.sink)
            let packets = outbox.drainedArrays()
            // The first frame is a key frame (frame index 0), then L1T3 from index 1 on.
            let isKey = frame == 0
            let temporal = VideoFrameModel.temporalLayer(ofFrame: frame)
            if temporal == 0 { tl0 &+= 1 }
            let size = model.frameSize(index: frame, isKeyFrame: isKey, random: &check)
            let count = max(1, (size + VideoSender.maxPayload - 1) / VideoSender.maxPayload)
            try #require(packets.count == count)
            for (index, packet) in packets.enumerated() {
                let descriptor = VP8PayloadDescriptor(
                    isNonReference: temporal == 2, isStartOfPartition: index == 0, partitionIndex: 0, pictureID: pictureID,
                    pictureIDIs15Bit: true, tl0PictureIndex: tl0, temporalLayerID: UInt8(temporal), isLayerSync: temporal > 0 && frame % 4 != 3)
                let chunk = size / count + (index < size % count ? 1 : 0)
                var expected = header
                if index == count - 1 { expected[1] |= 0x80 }
                expected[2] = UInt8(truncatingIfNeeded: sequence >> 8)
                expected[3] = UInt8(truncatingIfNeeded: sequence)
                withUnsafeBytes(of: timestamp.bigEndian) { expected.replaceSubrange(4..<8, with: $0) }
                expected += descriptor.bytes
                expected.append(index == 0 ? (isKey ? 0x10 : 0x11) : 0x00)
                ProbeHeader(captureTime: now.nanoseconds, sendTime: now.nanoseconds).write(into: &expected)
                expected += [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: max(0, chunk - ProbeHeader.size - 1))
                #expect(packet == expected, "frame \(frame) packet \(index)")
                #expect(CongestionExtensions.SlotOffsets(in: packet) == sender.congestionSlots)
                try expectStampsAtOffsetsLikeParse(packet, offsets: try #require(sender.congestionSlots), now: now)
                sequence &+= 1
                packetsChecked += 1
            }
            pictureID = (pictureID &+ 1) & 0x7FFF
        }
        // A key frame spans several packets.
        #expect(packetsChecked > 40)
    }

    @Test("a probe packet's slots are at the offsets the participant stamps without parsing")
    func probeSlots() throws {
        let offsets = try #require(CongestionExtensions.SlotOffsets.probe)
        for sequence in [UInt16(0), 1, 0x8000, 0xFFFF] {
            let packet = try RTPPacketBuilder(marker: false, payloadType: 97, sequenceNumber: SequenceNumber(sequence), timestamp: 0,
                                              ssrc: 0x5566_7788, extensions: CongestionExtensions.slots, paddingLength: 255)
                .build(payload: [])
            #expect(CongestionExtensions.SlotOffsets(in: packet) == offsets)
            try expectStampsAtOffsetsLikeParse(packet, offsets: offsets, now: Instant(nanoseconds: Int64(sequence) * 123_456_789))
        }
    }

    /// Stamping `packet` at `offsets` writes the same bytes as stamping it by parsing, for a
    /// stamp with and without a transport-wide sequence number, and changes the packet.
    private func expectStampsAtOffsetsLikeParse(_ packet: [UInt8], offsets: CongestionExtensions.SlotOffsets, now: Instant) throws {
        for sequence in [UInt16?.none, 0xBEEF] {
            let time = Instant(nanoseconds: now.nanoseconds + 987_654_321)
            var parsed = packet
            parsed.withUnsafeMutableBytes { CongestionExtensions.apply(.init(time: time, sequence: sequence), to: $0) }
            var placed = packet
            placed.withUnsafeMutableBytes {
                CongestionExtensions.apply(.init(time: time, sequence: sequence, offsets: offsets), to: $0)
            }
            #expect(placed == parsed)
            #expect(placed != packet)
        }
    }
}

extension UplinkOutbox {
    /// A sink queuing each packet here (endpoints and stamp do not matter to these tests).
    var sink: PacketSink {
        { count, write in self.append(from: Endpoint(address: 0, port: 0), to: Endpoint(address: 0, port: 0), stamp: nil, count: count, write) }
    }

    /// The queued packets' bytes, draining the outbox.
    func drainedArrays() -> [[UInt8]] {
        var packets: [[UInt8]] = []
        drain { packets.append(Array($0.bytes)) }
        return packets
    }
}
