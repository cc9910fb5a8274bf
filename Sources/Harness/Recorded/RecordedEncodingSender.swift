import Engine
import Media
import RTP

/// One encoding of a recorded stream at a simulated publisher: sends the workload's packets at
/// their recorded capture times (virtual time) as real RTP — the recorded payload unchanged,
/// marker bit from the frame-end flag, the recorded RTP timestamp plus a per-stream offset — with
/// the measurement probe in a header extension (`ProbeExtension`). Reads its track through a
/// `WorkloadPacketCursor` (64 KiB buffer), never the whole file.
///
/// Key-frame requests: with `loops` (workloads driving a trial) the next frame sent after a
/// PLI/FIR is the next recorded key frame of this encoding — the delta frames in between are
/// skipped and later packets move earlier by the skipped time, as an encoder would answer with a
/// key frame now — and when the recording runs out before the trial ends, the track plays again
/// from its start (a key frame), one frame interval after the last packet, so skips never shorten
/// the trial. Without it (replaying a saved session verbatim) packets go out exactly as recorded
/// and the recording's own key frames answer requests. NACKs are answered with RTX from a send
/// history.
///
/// A device switch (`replaceSource`) restarts the RTP stream as a browser does when it re-creates
/// the sender for a new camera or microphone: new SSRCs, new random sequence numbers and RTP
/// timestamp offset, an empty send history, and video resumes with a key frame.
///
/// A paused encoding (`enabled` false: the publisher's uplink estimate cannot carry it,
/// `RecordedPublisher.adaptEncodings`) reads on through its recording in time but sends nothing,
/// as a simulcast encoder stops encoding a stream it allocates no bitrate to; resumed, it starts
/// with a key frame (pulled forward when looping, as for a PLI) and its sequence numbers carry on.
struct RecordedEncodingSender {
    private(set) var ssrc: UInt32
    private(set) var rtxSSRC: UInt32?
    let payloadType: UInt8
    let rtxPayloadType: UInt8?
    let isVideo: Bool
    let clockRate: Int
    let loops: Bool
    /// Where a loop restarts from: the whole track, unshifted.
    private let reader: WorkloadReader
    /// The track this encoding plays (which encoding of which stream it is).
    let trackID: String
    /// Position in its stream's encodings (0: the lowest simulcast encoding).
    let layer: Int
    /// The manifest's `maxBitrate` for this encoding: what the simulcast switch counts it at.
    let rate: Bitrate
    /// Sending; false while paused for the uplink estimate.
    private(set) var enabled = true
    /// A device switch waits for the engine to bind the new SSRCs: the old source has stopped,
    /// the new one has not started (nothing is sent, time runs on).
    var awaitingSourceReplacement = false
    /// Gap between the last packet of one pass and the first of the next, µs.
    private let loopGapMicros: Int64
    /// Session-time intervals [start, end) (µs) in which this encoding sends nothing (join,
    /// leave, mute, screen-share stop).
    let silent: [(Int64, Int64)]
    private var cursor: WorkloadPacketCursor
    private var head: WorkloadPacket?
    /// Added to the cursor's capture times (µs): less what key-frame skips removed, plus loops.
    private var shiftMicros: Int64 = 0
    /// Added to the recorded RTP timestamps for the same reasons (wrapping).
    private var shiftTicks: UInt32 = 0
    private var lastSendMicros: Int64 = 0
    private var timestampOffset: UInt32
    private var sequence: UInt16
    private var rtxSequence: UInt16
    private var keyFrameRequested = false
    private var history = SentPacketHistory()
    /// NACK answers sent and held back (once per RTT).
    private(set) var retransmissions = SentPacketHistory.Counts()
    /// Key-frame requests (PLI/FIR) received while the encoding was paused.
    private(set) var pausedRequests = PausedEncodingRequests()
    private(set) var bytesSent = 0
    private(set) var packetsSent = 0
    private(set) var lastTimestamp: UInt32 = 0
    private(set) var keyFrameSkips = 0
    private(set) var loopsPlayed = 0

    init(reader: WorkloadReader, cursor: WorkloadPacketCursor, layer: Int, rate: Bitrate, ssrc: UInt32, rtxSSRC: UInt32?,
         payloadType: UInt8, rtxPayloadType: UInt8?, isVideo: Bool, clockRate: Int, timestampOffset: UInt32, loops: Bool,
         silent: [(Int64, Int64)], random: inout SeededGenerator) {
        self.reader = reader
        self.cursor = cursor
        self.layer = layer
        self.rate = rate
        trackID = cursor.track.id
        loopGapMicros = isVideo ? 1_000_000 / Int64(max(1, cursor.track.frameRate ?? 30)) : 20_000
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
        self.payloadType = payloadType
        self.rtxPayloadType = rtxPayloadType
        self.isVideo = isVideo
        self.clockRate = clockRate
        self.timestampOffset = timestampOffset
        self.loops = loops
        self.silent = silent
        sequence = UInt16(truncatingIfNeeded: random.next())
        rtxSequence = UInt16(truncatingIfNeeded: random.next())
    }

    /// Reads the first packet; call once before sending.
    mutating func start() throws(WorkloadError) {
        head = try cursor.next()
    }

    /// When the next packet is due (its capture time, less skipped time), or nil at the end.
    var nextSendTime: Instant? {
        guard let head else { return nil }
        return Instant(nanoseconds: (head.captureTimeMicros + shiftMicros) * 1_000)
    }

    mutating func requestKeyFrame() {
        guard isVideo else { return }
        keyFrameRequested = true
    }

    /// A key-frame request (PLI/FIR) from the engine at `now`.
    mutating func keyFrameRequestReceived(now: Instant) {
        pausedRequests.requestReceived(now: now)
        requestKeyFrame()
    }

    /// Pauses or resumes sending at `now`; a resumed encoding starts with a key frame.
    mutating func setEnabled(_ on: Bool, now: Instant) {
        guard on != enabled else { return }
        enabled = on
        pausedRequests.setEnabled(on, now: now)
        if on { requestKeyFrame() }
    }

    /// A new capture device: from the next packet on, this encoding is a new RTP stream with
    /// `ssrc` and `rtxSSRC`, a new random sequence number and `timestampOffset`, and (video)
    /// starts at a key frame — pulled forward like a PLI answer when looping; a verbatim replay
    /// waits for the recording's own, which a recorded switch has right after it.
    mutating func replaceSource(ssrc: UInt32, rtxSSRC: UInt32?, timestampOffset: UInt32, random: inout SeededGenerator) {
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
        self.timestampOffset = timestampOffset
        sequence = UInt16(truncatingIfNeeded: random.next())
        rtxSequence = UInt16(truncatingIfNeeded: random.next())
        history = SentPacketHistory()
        requestKeyFrame()
    }

    /// The RTP packets due at or before `now` and before `stopAt`, in order.
    mutating func packets(due now: Instant, stopAt: Instant) throws(WorkloadError) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        while let due = nextSendTime, due <= now {
            guard due < stopAt, var packet = head else {
                head = nil
                break
            }
            if !enabled || awaitingSourceReplacement {
                // Paused or switching: time runs on through the recording, nothing is sent.
                lastSendMicros = packet.captureTimeMicros + shiftMicros
                head = try nextPacket(after: packet)
                continue
            }
            if keyFrameRequested && packet.isKeyFrame && packet.isFrameStart {
                keyFrameRequested = false
            } else if keyFrameRequested && loops && packet.isFrameStart {
                // Answer the request now with the next recorded key frame of this encoding.
                guard let key = try skipToKeyFrame() else {
                    head = nil
                    break
                }
                shiftMicros -= key.captureTimeMicros - packet.captureTimeMicros
                shiftTicks = shiftTicks &- (key.rtpTimestamp &- packet.rtpTimestamp)
                keyFrameSkips += 1
                keyFrameRequested = false
                packet = key
                head = key
            }
            // Build before reading on: a loop to the track's start changes the shifts.
            let sendMicros = packet.captureTimeMicros + shiftMicros
            lastSendMicros = sendMicros
            if !silent.contains(where: { $0.0 <= sendMicros && sendMicros < $0.1 }), let bytes = build(packet, sendMicros: sendMicros) {
                packets.append(bytes)
            }
            head = try nextPacket(after: packet)
        }
        return packets
    }

    /// The packet after `previous`: the cursor's next, or, looping, the track's first again with
    /// the shifts set so that it follows `previous` by one frame interval.
    private mutating func nextPacket(after previous: WorkloadPacket) throws(WorkloadError) -> WorkloadPacket? {
        if let packet = try cursor.next() { return packet }
        guard loops else { return nil }
        cursor = try reader.packets(track: trackID)
        guard let first = try cursor.next() else { return nil }
        shiftMicros = lastSendMicros + loopGapMicros - first.captureTimeMicros
        let gapTicks = UInt32(truncatingIfNeeded: loopGapMicros * Int64(clockRate) / 1_000_000)
        shiftTicks = (previous.rtpTimestamp &+ shiftTicks &+ gapTicks) &- first.rtpTimestamp
        loopsPlayed += 1
        return first
    }

    /// Reads on to the first packet of the next key frame (looping when the recording has none left).
    private mutating func skipToKeyFrame() throws(WorkloadError) -> WorkloadPacket? {
        while let packet = try cursor.next() {
            if packet.isKeyFrame && packet.isFrameStart { return packet }
        }
        guard loops else { return nil }
        // Restart the track: its first packet is a key frame; the caller moves the shift.
        cursor = try reader.packets(track: trackID)
        guard let first = try cursor.next() else { return nil }
        loopsPlayed += 1
        return first
    }

    private mutating func build(_ packet: WorkloadPacket, sendMicros: Int64) -> [UInt8]? {
        let timestamp = packet.rtpTimestamp &+ timestampOffset &+ shiftTicks
        let probe = ProbeHeader(captureTime: sendMicros * 1_000, sendTime: sendMicros * 1_000)
        let builder = RTPPacketBuilder(marker: isVideo && packet.isFrameEnd, payloadType: payloadType,
                                       sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc,
                                       extensions: [ProbeExtension.element(probe)] + CongestionExtensions.slots)
        guard let bytes = try? builder.build(payload: packet.payload) else { return nil }
        if isVideo { history.store(bytes, sequence: sequence) }
        sequence &+= 1
        bytesSent += bytes.count
        packetsSent += 1
        lastTimestamp = timestamp
        return bytes
    }

    /// The next sequence number of the RTX stream, for a padding-only probe packet on `rtxSSRC`:
    /// probes and retransmissions are one RTP stream (RFC 4588 §4) and share its one counter.
    mutating func takeRTXSequence() -> UInt16 {
        defer { rtxSequence &+= 1 }
        return rtxSequence
    }

    /// RTX packets answering a NACK for `sequences` at `now` (those still in the send history and
    /// not resent within `rtt`).
    mutating func retransmit(_ sequences: [UInt16], now: Instant, rtt: Duration) -> [[UInt8]] {
        guard let rtxSSRC, let rtxPayloadType else { return [] }
        let packets = history.rtxPackets(for: sequences, ssrc: rtxSSRC, payloadType: rtxPayloadType, rtxSequence: &rtxSequence,
                                         now: now, rtt: rtt, counts: &retransmissions)
        bytesSent += packets.reduce(0) { $0 + $1.count }
        return packets
    }
}
