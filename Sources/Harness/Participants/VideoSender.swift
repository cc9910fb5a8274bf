import Engine
import RTP

/// One simulcast encoding of a simulated publisher: synthetic VP8 frames (RFC 7741 descriptor with
/// picture id, TL0PICIDX, TID and layer sync), packetized at most `maxPayload` bytes a packet,
/// key frames on request, and RTX answers to NACKs (RFC 4588).
struct VideoSender {
    let ssrc: UInt32
    let rtxSSRC: UInt32
    let payloadType: UInt8
    let rtxPayloadType: UInt8
    var model: VideoFrameModel
    /// Whether the encoding is sent (`setEnabled`).
    private(set) var enabled = true
    private var sequence: UInt16
    private var rtxSequence: UInt16
    private var pictureID: UInt16
    private var tl0: UInt8 = 0
    private var frameIndex = 0
    private var keyFrameRequested = true
    private var history = SentPacketHistory()
    /// The RTP header every packet of this encoding starts with (fixed header and the
    /// congestion-control extension slots), built once with `RTPPacketBuilder`; each packet
    /// patches marker, sequence number and timestamp into a copy (the same bytes the builder
    /// writes for it).
    private let header: [UInt8]
    static let maxPayload = 1_100
    /// Where the congestion-control slots (`CongestionExtensions.slots`) are in every packet
    /// `nextFrame` makes (all start with `header`): the participant stamps them there without
    /// parsing the packet. Nil only when the header could not be built (nothing is sent then).
    let congestionSlots: CongestionExtensions.SlotOffsets?

    /// Bytes sent, for bitrate accounting.
    private(set) var bytesSent = 0
    private(set) var keyFramesSent = 0
    /// NACK answers sent and held back (once per RTT).
    private(set) var retransmissions = SentPacketHistory.Counts()
    /// Key-frame requests (PLI/FIR) received while the encoding was paused.
    private(set) var pausedRequests = PausedEncodingRequests()

    init(ssrc: UInt32, rtxSSRC: UInt32, payloadType: UInt8, rtxPayloadType: UInt8, model: VideoFrameModel,
         random: inout SeededGenerator) {
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
        self.payloadType = payloadType
        self.rtxPayloadType = rtxPayloadType
        self.model = model
        sequence = UInt16(truncatingIfNeeded: random.next())
        rtxSequence = UInt16(truncatingIfNeeded: random.next())
        pictureID = UInt16(truncatingIfNeeded: random.next()) & 0x7FFF
        let builder = RTPPacketBuilder(marker: false, payloadType: payloadType, sequenceNumber: SequenceNumber(0), timestamp: 0,
                                       ssrc: ssrc, extensions: CongestionExtensions.slots)
        header = (try? builder.build(payload: [])) ?? []
        congestionSlots = CongestionExtensions.SlotOffsets(in: header)
    }

    mutating func requestKeyFrame() { keyFrameRequested = true }

    /// A key-frame request (PLI/FIR) from the engine at `now`.
    mutating func keyFrameRequestReceived(now: Instant) {
        pausedRequests.requestReceived(now: now)
        requestKeyFrame()
    }

    /// Pauses or resumes the encoding at `now`; a resumed encoding starts with a key frame.
    mutating func setEnabled(_ on: Bool, now: Instant) {
        guard on != enabled else { return }
        enabled = on
        pausedRequests.setEnabled(on, now: now)
        if on { requestKeyFrame() }
    }

    /// Writes the packets of the frame captured at `now` (RTP timestamp in the 90 kHz clock) into
    /// `sink`, in order, keeping a copy of each in the send history.
    mutating func nextFrame(now: Instant, timestamp: UInt32, random: inout SeededGenerator, sink: PacketSink) {
        let isKey = keyFrameRequested
        keyFrameRequested = false
        if isKey { frameIndex = 0 }
        let temporal = VideoFrameModel.temporalLayer(ofFrame: frameIndex)
        if temporal == 0 { tl0 &+= 1 }
        let size = model.frameSize(index: frameIndex, isKeyFrame: isKey, random: &random)
        let count = max(1, (size + Self.maxPayload - 1) / Self.maxPayload)
        // The descriptor is written once per frame (at most 6 bytes, RFC 7741 §4.2, kept in a
        // UInt64): the packets after the first differ from it only in the S bit.
        let descriptor = VP8PayloadDescriptor(
            isNonReference: temporal == 2, isStartOfPartition: true, partitionIndex: 0,
            pictureID: pictureID, pictureIDIs15Bit: true, tl0PictureIndex: tl0,
            temporalLayerID: UInt8(temporal), isLayerSync: temporal > 0 && frameIndex % 4 != 3)
        var descriptorBytes: UInt64 = 0
        let descriptorLength = withUnsafeMutableBytes(of: &descriptorBytes) { descriptor.write(into: $0) } ?? 0
        for index in 0..<count {
            let chunk = size / count + (index < size % count ? 1 : 0)
            let filler = max(0, chunk - ProbeHeader.size - 1)
            guard !header.isEmpty else { continue }
            // VP8 payload header: P bit (0 = key frame) in the first byte of the frame.
            let packet = writePacket(descriptor: descriptorBytes, descriptorLength: descriptorLength, startsPartition: index == 0,
                                     vp8Header: index == 0 ? (isKey ? 0x10 : 0x11) : 0x00,
                                     marker: index == count - 1, timestamp: timestamp, now: now,
                                     filler: UInt8(truncatingIfNeeded: index), fillerCount: filler, sink: sink)
            history.store(packet, sequence: sequence)
            bytesSent += packet.count
            sequence &+= 1
        }
        if isKey { keyFramesSent += 1 }
        pictureID = (pictureID &+ 1) & 0x7FFF
        frameIndex += 1
    }

    /// One packet of a frame, written into `sink` (the written bytes are returned): the header (marker, sequence number and timestamp patched in), then the payload: the first
    /// `descriptorLength` bytes of `descriptor` (the frame's first descriptor, its S bit cleared
    /// unless `startsPartition`), the VP8 payload header byte, the probe, and `fillerCount` bytes
    /// of `filler`.
    private func writePacket(descriptor: UInt64, descriptorLength: Int, startsPartition: Bool, vp8Header: UInt8, marker: Bool,
                             timestamp: UInt32, now: Instant, filler: UInt8, fillerCount: Int,
                             sink: PacketSink) -> UnsafeRawBufferPointer {
        let length = header.count + descriptorLength + 1 + ProbeHeader.size + fillerCount
        return sink(length) { bytes in
            header.withUnsafeBytes { bytes.copyMemory(from: $0) }
            if marker { bytes[1] |= 0x80 }
            bytes.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            bytes.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
            var offset = header.count
            // All 8 bytes of `descriptor` in one store (a memcpy call for at most 6 bytes cost
            // more): the bytes past `descriptorLength` fall where the VP8 header byte and the
            // probe are written next, which always follow.
            bytes.storeBytes(of: descriptor, toByteOffset: offset, as: UInt64.self)
            if !startsPartition { bytes[offset] &= ~0x10 }
            offset += descriptorLength
            bytes[offset] = vp8Header
            offset += 1
            ProbeHeader(captureTime: now.nanoseconds, sendTime: now.nanoseconds).write(to: bytes, at: offset)
            offset += ProbeHeader.size
            UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<length]).initializeMemory(as: UInt8.self, repeating: filler)
        }
    }

    /// The next sequence number of the RTX stream, for a padding-only probe packet on `rtxSSRC`:
    /// probes and retransmissions are one RTP stream (RFC 4588 §4) and share its one counter, or
    /// the stream's numbers would jump back and forth and SRTP's replay window would refuse them.
    mutating func takeRTXSequence() -> UInt16 {
        defer { rtxSequence &+= 1 }
        return rtxSequence
    }

    /// RTX packets answering a NACK for `sequences` at `now` (those still in history and not
    /// resent within `rtt`).
    mutating func retransmit(_ sequences: [UInt16], now: Instant, rtt: Duration) -> [[UInt8]] {
        let packets = history.rtxPackets(for: sequences, ssrc: rtxSSRC, payloadType: rtxPayloadType, rtxSequence: &rtxSequence,
                                         now: now, rtt: rtt, counts: &retransmissions)
        bytesSent += packets.reduce(0) { $0 + $1.count }
        return packets
    }
}
