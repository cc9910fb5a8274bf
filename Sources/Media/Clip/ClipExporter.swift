import RTP

/// Cuts one participant's media out of a workload into a playable file: `.ivf` (video, one
/// simulcast encoding) or `.ogg` (Opus audio).
///
/// Times are session times (the stream's time shift applied). A video clip starts at the last
/// key frame at or before `from` so that it decodes; an audio clip fills DTX gaps with 1-byte
/// "no frame" Opus packets so its timeline keeps real time.
public struct ClipExporter: Sendable {
    /// What was exported.
    public struct Result: Sendable, Hashable {
        public var bytes: [UInt8]
        public var frames: Int
        /// Session time of the first exported frame, µs.
        public var startMicros: Int64
        public var track: String
    }

    public let reader: WorkloadReader

    public init(reader: WorkloadReader) { self.reader = reader }

    /// The participant's video stream (`rid` nil: the highest encoding) from `from` to `to` as IVF.
    public func videoIVF(participant: String, fromMicros from: Int64, toMicros to: Int64, rid: String? = nil) throws(WorkloadError) -> Result {
        let stream = try findStream(participant, kind: .video)
        let encoding = rid.flatMap { rid in stream.encodings.first { $0.rid == rid } } ?? stream.encodings.last!
        guard let track = reader.manifest.track(encoding.track) else { throw error("track \(encoding.track) missing") }
        // Pass 1: the last key frame at or before `from`.
        var start: Int64 = -1
        var cursor = try reader.packets(participant: participant, stream: stream.id, rid: encoding.rid)
        while let packet = try cursor.next(), packet.captureTimeMicros <= max(from, 0) {
            if packet.isKeyFrame && packet.isFrameStart { start = packet.captureTimeMicros }
        }
        if start < 0 {
            // No key frame before `from`: take the first one after it.
            cursor = try reader.packets(participant: participant, stream: stream.id, rid: encoding.rid)
            while let packet = try cursor.next(), packet.captureTimeMicros < to {
                if packet.isKeyFrame && packet.isFrameStart {
                    start = packet.captureTimeMicros
                    break
                }
            }
        }
        guard start >= 0 else { throw error("no key frame in \(stream.id) before \(Double(to) / 1e6) s") }
        var writer = IVFWriter(fourCC: track.codec == "VP9" ? "VP90" : "VP80", width: track.width ?? 0, height: track.height ?? 0,
                                framesPerSecond: track.frameRate ?? 30)
        cursor = try reader.packets(participant: participant, stream: stream.id, rid: encoding.rid)
        var frame: [UInt8] = []
        var firstTimestamp: UInt32?
        while let packet = try cursor.next(), packet.captureTimeMicros < to {
            guard packet.captureTimeMicros >= start else { continue }
            let descriptorLength = Self.descriptorLength(packet.payload, codec: track.codec)
            if packet.isFrameStart { frame.removeAll(keepingCapacity: true) }
            frame.append(contentsOf: packet.payload[descriptorLength...])
            if packet.isFrameEnd {
                let first = firstTimestamp ?? packet.rtpTimestamp
                firstTimestamp = first
                writer.append(frame: frame, ticks: UInt64(packet.rtpTimestamp &- first))
            }
        }
        return Result(bytes: writer.bytes, frames: writer.frameCount, startMicros: start, track: track.id)
    }

    /// The participant's audio stream from `from` to `to` as Ogg Opus.
    public func audioOgg(participant: String, fromMicros from: Int64, toMicros to: Int64) throws(WorkloadError) -> Result {
        let stream = try findStream(participant, kind: .audio)
        let track = stream.encodings[0].track
        var writer = OggOpusWriter(serial: OggPage.crc(Array(track.utf8)) | 1)
        var cursor = try reader.packets(participant: participant, stream: stream.id)
        var next = max(from, stream.timeShiftMicros)   // session time of the next 20 ms slot
        var toc: UInt8 = 0x78   // SILK wideband 20 ms, until the first real packet
        while let packet = try cursor.next(), packet.captureTimeMicros < to {
            guard packet.captureTimeMicros >= next - 10_000 else { continue }
            while next + 10_000 < packet.captureTimeMicros {   // DTX gap: keep time with empty frames
                writer.append(packet: [toc & 0xFC])
                next += 20_000
            }
            writer.append(packet: packet.payload)
            toc = packet.payload[0]
            next = packet.captureTimeMicros + 20_000
        }
        while next + 10_000 < min(to, reader.manifest.durationMicros) {
            writer.append(packet: [toc & 0xFC])
            next += 20_000
        }
        let frames = writer.packetCount
        return Result(bytes: writer.finish(), frames: frames, startMicros: max(from, stream.timeShiftMicros), track: track)
    }

    private func findStream(_ participant: String, kind: MediaKind) throws(WorkloadError) -> WorkloadStream {
        guard let owner = reader.manifest.participant(participant) else { throw error("no participant \(participant)") }
        guard let stream = owner.streams.first(where: { $0.kind == kind }) else {
            throw error("participant \(participant) publishes no \(kind.rawValue)")
        }
        return stream
    }

    private func error(_ message: String) -> WorkloadError { WorkloadError(.unknownTrack, path: reader.path, message) }

    /// Length of the RTP payload descriptor in front of the codec data.
    static func descriptorLength(_ payload: [UInt8], codec: String) -> Int {
        guard codec == "VP8" || codec == "VP9" else { return 0 }
        if codec == "VP8" { return (try? VP8PayloadDescriptor(parsing: payload))?.encodedLength ?? 0 }
        return (try? VP9PayloadDescriptor(parsing: payload))?.encodedLength ?? 0
    }
}
