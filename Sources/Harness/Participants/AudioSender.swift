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
    /// The header every packet starts with (fixed header, audio level, congestion-control slots),
    /// built once with `RTPPacketBuilder`; each packet patches sequence number, timestamp and the
    /// audio level byte into its copy (the same bytes the builder writes for it). Empty when the
    /// header cannot be built (nothing is sent then).
    private let header: [UInt8]
    /// Offset of the audio level value byte in `header`.
    private let levelOffset: Int
    /// Where the congestion-control slots (`CongestionExtensions.slots`) are in every packet
    /// `nextFrame` makes (all start with `header`): the participant stamps them there without
    /// parsing the packet. Nil when `header` is empty (nothing is sent then).
    let congestionSlots: CongestionExtensions.SlotOffsets?

    init(ssrc: UInt32, payloadType: UInt8, model: TalkSpurtModel, random: inout SeededGenerator) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.model = model
        sequence = UInt16(truncatingIfNeeded: random.next())
        timestamp = UInt32(truncatingIfNeeded: random.next())
        let builder = RTPPacketBuilder(
            marker: false, payloadType: payloadType, sequenceNumber: SequenceNumber(0), timestamp: 0, ssrc: ssrc,
            extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.audioLevel, value: [0])]
                + CongestionExtensions.slots)
        let built = (try? builder.build(payload: [])) ?? []
        // `try?` flattens: nil when the header does not parse or has no audio level element.
        if let range = try? RTPPacketView.inspect(built, { $0.extensionRange(id: RouterCapabilities.HeaderExtensionID.audioLevel) }),
           range.count == 1 {
            header = built
            levelOffset = range.lowerBound
        } else {
            header = []
            levelOffset = 0
        }
        congestionSlots = CongestionExtensions.SlotOffsets(in: header)
    }

    /// Writes the packet for the 20 ms frame captured at `now` into `sink`; false when there is
    /// none (DTX silence, or muted).
    mutating func nextFrame(now: Instant, elapsed: Double, random: inout SeededGenerator, sink: PacketSink) -> Bool {
        defer { timestamp &+= 960 }
        guard !muted, let frame = model.frame(at: elapsed, random: &random), !header.isEmpty else { return false }
        let level = AudioLevelExtension(voiceActivity: frame.level < 127, levelDecibelsBelowOverload: frame.level)
        let count = writePacket(level: (level.voiceActivity ? 0x80 : 0) | level.levelDecibelsBelowOverload,
                                now: now, payloadLength: max(frame.bytes, ProbeHeader.size), sink: sink)
        sequence &+= 1
        bytesSent += count
        return true
    }

    /// One packet written into `sink`, returning its length: the header (sequence number,
    /// timestamp and audio level patched in), then the payload: the probe and filler bytes.
    private func writePacket(level: UInt8, now: Instant, payloadLength: Int, sink: PacketSink) -> Int {
        let length = header.count + payloadLength
        _ = sink(length) { bytes in
            header.withUnsafeBytes { bytes.copyMemory(from: $0) }
            bytes.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            bytes.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
            bytes[levelOffset] = level
            ProbeHeader(captureTime: now.nanoseconds, sendTime: now.nanoseconds).write(to: bytes, at: header.count)
            let filler = header.count + ProbeHeader.size
            UnsafeMutableRawBufferPointer(rebasing: bytes[filler..<length]).initializeMemory(as: UInt8.self, repeating: 0x5A)
        }
        return length
    }
}
