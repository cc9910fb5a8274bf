import Engine
import RTP

/// A simulated publisher's audio: Opus-like 20 ms frames from a talk-spurt model, each carrying
/// the ssrc-audio-level header extension (RFC 6464) with the router's extension id.
struct AudioSender {
    let ssrc: UInt32
    let payloadType: UInt8
    var model: TalkSpurtModel
    var muted = false
    private var sequence: UInt16
    private var timestamp: UInt32
    private(set) var bytesSent = 0

    init(ssrc: UInt32, payloadType: UInt8, model: TalkSpurtModel, random: inout SeededGenerator) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.model = model
        sequence = UInt16(truncatingIfNeeded: random.next())
        timestamp = UInt32(truncatingIfNeeded: random.next())
    }

    /// The packet for the 20 ms frame captured at `now`, or nil (DTX silence, or muted).
    mutating func nextFrame(now: Instant, elapsed: Double, random: inout SeededGenerator) -> [UInt8]? {
        defer { timestamp &+= 960 }
        guard !muted, let frame = model.frame(at: elapsed, random: &random) else { return nil }
        var payload: [UInt8] = []
        payload.reserveCapacity(max(frame.bytes, ProbeHeader.size))
        ProbeHeader(captureTime: now.nanoseconds, sendTime: now.nanoseconds).write(into: &payload)
        if frame.bytes > ProbeHeader.size {
            payload.append(contentsOf: repeatElement(0x5A, count: frame.bytes - ProbeHeader.size))
        }
        let level = AudioLevelExtension(voiceActivity: frame.level < 127, levelDecibelsBelowOverload: frame.level)
        let builder = RTPPacketBuilder(
            marker: false, payloadType: payloadType, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc,
            extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.audioLevel, value: level.extensionValue)]
                + CongestionExtensions.slots)
        guard let packet = try? builder.build(payload: payload) else { return nil }
        sequence &+= 1
        bytesSent += packet.count
        return packet
    }
}
