/// A participant's Opus stream read back as one 20 ms packet per slot from `from` to `to`
/// (session time). DTX pauses — 20 ms slots WebRTC does not send — are filled with 1-byte
/// packets (the last packet's TOC byte with code 0: no frame data, which a decoder plays as
/// concealment/silence), so that the clip keeps real time in containers that count packets
/// (Ogg) and in players that expect a packet every 20 ms (WebM).
struct ClipAudioSource {
    let track: String
    /// Session time of the first slot, µs.
    let startMicros: Int64
    private var cursor: WorkloadPacketCursor
    private let endMicros: Int64
    /// Session time of the next 20 ms slot.
    private var slot: Int64
    /// TOC byte for filler packets: SILK wideband 20 ms until the first real packet.
    private var toc: UInt8 = 0x78
    private var pending: WorkloadPacket?
    private var exhausted = false

    init(reader: WorkloadReader, participant: String, stream: WorkloadStream, fromMicros from: Int64, toMicros to: Int64) throws(WorkloadError) {
        track = stream.encodings[0].track
        startMicros = max(from, stream.timeShiftMicros)
        slot = startMicros
        endMicros = min(to, reader.manifest.durationMicros)
        cursor = try reader.packets(participant: participant, stream: stream.id)
    }

    /// The next packet (a recorded one or a filler), or nil at the end of the range.
    mutating func next() throws(WorkloadError) -> ClipFrame? {
        if pending == nil && !exhausted {
            while let packet = try cursor.next() {
                guard packet.captureTimeMicros < endMicros else { break }
                // A packet in a slot already filled is skipped.
                guard packet.captureTimeMicros >= slot - 10_000 else { continue }
                pending = packet
                break
            }
            exhausted = pending == nil
        }
        if let packet = pending, slot + 10_000 >= packet.captureTimeMicros {
            pending = nil
            toc = packet.payload[0]
            slot = packet.captureTimeMicros + 20_000
            return ClipFrame(data: packet.payload, timeMicros: packet.captureTimeMicros, rtpTimestamp: packet.rtpTimestamp, isKeyFrame: true)
        }
        // A DTX gap before the next packet, or silence to the end of the range.
        guard pending != nil || slot + 10_000 < endMicros else { return nil }
        let filler = ClipFrame(data: [toc & 0xFC], timeMicros: slot, rtpTimestamp: 0, isKeyFrame: true)
        slot += 20_000
        return filler
    }
}
