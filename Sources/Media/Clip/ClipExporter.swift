import Foundation

/// Cuts one participant's media out of a workload or saved session into a playable file:
/// `.ivf` (video, one simulcast encoding), `.ogg` (Opus audio), or `.webm` (VP8/VP9 video and/or
/// Opus audio, docs/webm.md).
///
/// Times are session times (the stream's time shift applied). A clip with video starts at the
/// last key frame at or before `from` so that it decodes (`ClipVideoSource`); audio keeps real
/// time through DTX pauses (`ClipAudioSource`). The stream's recorded media is exported as it is
/// in the file: session events (mute, leave) are not applied.
public struct ClipExporter: Sendable {
    /// The container, chosen by the output file's extension.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case ivf, ogg, webm

        /// `.ivf`, `.ogg` / `.opus`, or `.webm`; nil for anything else.
        public init?(path: String) {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "ivf": self = .ivf
            case "ogg", "opus": self = .ogg
            case "webm": self = .webm
            default: return nil
            }
        }

        /// The media kinds the container can hold.
        public var kinds: Set<MediaKind> {
            switch self {
            case .ivf: [.video]
            case .ogg: [.audio]
            case .webm: [.video, .audio]
            }
        }
    }

    /// What was exported.
    public struct Result: Sendable, Hashable {
        public var bytes: [UInt8]
        /// Frames (video) plus packets (audio) written.
        public var frames: Int
        /// Session time of the start of the clip, µs.
        public var startMicros: Int64
        /// Length of the clip, µs: from its start to the end of its last frame.
        public var durationMicros: Int64
        /// The exported track ids, joined by "+".
        public var track: String
    }

    public let reader: WorkloadReader

    public init(reader: WorkloadReader) { self.reader = reader }

    /// Exports `kinds` of what `participant` publishes (nil: every kind the container holds that
    /// the participant publishes) between `from` and `to` into `path`, in the container its
    /// extension names. The file is written only when the whole clip was built, through a
    /// temporary file renamed onto `path`: a failure leaves no file behind.
    @discardableResult
    public func export(participant: String, fromMicros from: Int64, toMicros to: Int64, rid: String? = nil,
                       kinds: Set<MediaKind>? = nil, to path: String) throws(WorkloadError) -> Result {
        guard let format = Format(path: path) else {
            throw WorkloadError(.usage, path: path, "unknown clip format: the output must end in .webm, .ivf or .ogg")
        }
        if let kinds, !kinds.isSubset(of: format.kinds) {
            throw WorkloadError(.usage, path: path, ".\(format.rawValue) holds only \(format.kinds.map(\.rawValue).sorted().joined(separator: " and ")); use .webm for video and audio")
        }
        let result: Result
        switch format {
        case .ivf: result = try videoIVF(participant: participant, fromMicros: from, toMicros: to, rid: rid)
        case .ogg: result = try audioOgg(participant: participant, fromMicros: from, toMicros: to)
        case .webm: result = try webM(participant: participant, fromMicros: from, toMicros: to, rid: rid, kinds: kinds)
        }
        do { try Data(result.bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw WorkloadError(.io, path: path, "cannot write the clip: \(error.localizedDescription)")
        }
        return result
    }

    /// The participant's video stream (`rid` nil: the highest encoding) from `from` to `to` as IVF.
    public func videoIVF(participant: String, fromMicros from: Int64, toMicros to: Int64, rid: String? = nil) throws(WorkloadError) -> Result {
        var video = try videoSource(participant, from: from, to: to, rid: rid)
        let frameRate = video.track.frameRate ?? 30
        var writer = IVFWriter(fourCC: video.isVP9 ? "VP90" : "VP80", width: video.track.width ?? 0, height: video.track.height ?? 0,
                               framesPerSecond: frameRate)
        var first: UInt32?
        var end = video.startMicros
        while let frame = try video.next() {
            let base = first ?? frame.rtpTimestamp
            first = base
            writer.append(frame: frame.data, ticks: UInt64(frame.rtpTimestamp &- base))
            end = frame.timeMicros + 1_000_000 / Int64(frameRate)
        }
        try checkNotEmpty(writer.frameCount, participant, from: from, to: to)
        return Result(bytes: writer.bytes, frames: writer.frameCount, startMicros: video.startMicros,
                      durationMicros: end - video.startMicros, track: video.track.id)
    }

    /// The participant's audio stream from `from` to `to` as Ogg Opus.
    public func audioOgg(participant: String, fromMicros from: Int64, toMicros to: Int64) throws(WorkloadError) -> Result {
        var audio = try audioSource(participant, from: from, to: to)
        var writer = OggOpusWriter(serial: OggPage.crc(Array(audio.track.utf8)) | 1)
        while let packet = try audio.next() { writer.append(packet: packet.data) }
        try checkNotEmpty(writer.packetCount, participant, from: from, to: to)
        let frames = writer.packetCount
        return Result(bytes: writer.finish(), frames: frames, startMicros: audio.startMicros,
                      durationMicros: Int64(frames) * 20_000, track: audio.track)
    }

    /// The participant's video (`rid` nil: the highest encoding) and/or audio from `from` to `to`
    /// as WebM; `kinds` nil exports every kind the participant publishes. With video, the clip
    /// (audio included) starts at the video's first key frame.
    public func webM(participant: String, fromMicros from: Int64, toMicros to: Int64, rid: String? = nil,
                     kinds: Set<MediaKind>? = nil) throws(WorkloadError) -> Result {
        let publishes = Set(try publisher(participant).streams.map(\.kind))
        let wanted = kinds ?? publishes
        guard !wanted.isEmpty else { throw WorkloadError(.unknownTrack, path: reader.path, "participant \(participant) publishes nothing") }
        var video = wanted.contains(.video) ? try videoSource(participant, from: from, to: to, rid: rid) : nil
        let origin = video?.startMicros ?? from
        var audio = wanted.contains(.audio) ? try audioSource(participant, from: origin, to: to) : nil
        let start = video?.startMicros ?? audio?.startMicros ?? from
        var nextVideo = try video?.next()
        var nextAudio = try audio?.next()
        var tracks: [WebMWriter.Track] = []
        if let source = video {
            let size = source.displaySize ?? (source.track.width ?? 0, source.track.height ?? 0)
            tracks.append(.video(vp9: source.isVP9, width: size.width, height: size.height, frameRate: source.track.frameRate ?? 30))
        }
        if audio != nil { tracks.append(.opus()) }
        var writer = WebMWriter(tracks: tracks)
        let audioTrack = video == nil ? 0 : 1
        var end = start
        let frameMicros = 1_000_000 / Int64(video?.track.frameRate ?? 30)
        var videoClock = VideoPresentationClock()
        var nextVideoTime = nextVideo.map { videoClock.time(of: $0) }
        // Interleave by time; on a tie video first, so that a key frame opens its cluster.
        while nextVideo != nil || nextAudio != nil {
            if let frame = nextVideo, let time = nextVideoTime, nextAudio.map({ time <= $0.timeMicros }) ?? true {
                writer.append(track: 0, frame: frame.data, timeMicros: time - start, isKeyFrame: frame.isKeyFrame)
                end = max(end, time + frameMicros)
                nextVideo = try video?.next()
                nextVideoTime = nextVideo.map { videoClock.time(of: $0) }
            } else if let packet = nextAudio {
                writer.append(track: audioTrack, frame: packet.data, timeMicros: packet.timeMicros - start, isKeyFrame: true)
                end = max(end, packet.timeMicros + 20_000)
                nextAudio = try audio?.next()
            }
        }
        let frames = writer.frameCounts.reduce(0, +)
        try checkNotEmpty(frames, participant, from: from, to: to)
        let ids = [video?.track.id, audio?.track].compactMap { $0 }
        return Result(bytes: writer.finish(durationMicros: end - start), frames: frames, startMicros: start,
                      durationMicros: end - start, track: ids.joined(separator: "+"))
    }

    private func publisher(_ participant: String) throws(WorkloadError) -> WorkloadParticipant {
        guard let owner = reader.manifest.participant(participant) else {
            throw WorkloadError(.unknownTrack, path: reader.path,
                                "no participant \(participant); participants: \(reader.manifest.participants.map(\.id).joined(separator: ", "))")
        }
        return owner
    }

    private func stream(_ participant: String, kind: MediaKind) throws(WorkloadError) -> WorkloadStream {
        guard let stream = try publisher(participant).streams.first(where: { $0.kind == kind }) else {
            throw WorkloadError(.unknownTrack, path: reader.path, "participant \(participant) publishes no \(kind.rawValue)")
        }
        return stream
    }

    private func checkRange(from: Int64, to: Int64) throws(WorkloadError) {
        guard to > from else {
            throw WorkloadError(.usage, path: reader.path, "empty range: the end (\(Double(to) / 1e6) s) must be after the start (\(Double(from) / 1e6) s)")
        }
        guard from < reader.manifest.durationMicros else {
            throw WorkloadError(.usage, path: reader.path, "the start (\(Double(from) / 1e6) s) is at or after the end of the session (\(Double(reader.manifest.durationMicros) / 1e6) s)")
        }
    }

    private func checkNotEmpty(_ frames: Int, _ participant: String, from: Int64, to: Int64) throws(WorkloadError) {
        guard frames == 0 else { return }
        throw WorkloadError(.usage, path: reader.path, "\(participant) sent nothing between \(Double(from) / 1e6) s and \(Double(to) / 1e6) s")
    }

    private func videoSource(_ participant: String, from: Int64, to: Int64, rid: String?) throws(WorkloadError) -> ClipVideoSource {
        try checkRange(from: from, to: to)
        let stream = try stream(participant, kind: .video)
        var encoding = stream.encodings.last!
        if let rid {
            guard let chosen = stream.encodings.first(where: { $0.rid == rid }) else {
                throw WorkloadError(.unknownTrack, path: reader.path,
                                    "stream \(stream.id) has no encoding \(rid); rids: \(stream.encodings.map { $0.rid ?? "-" }.joined(separator: ", "))")
            }
            encoding = chosen
        }
        return try ClipVideoSource(reader: reader, participant: participant, stream: stream, encoding: encoding, fromMicros: from, toMicros: to)
    }

    private func audioSource(_ participant: String, from: Int64, to: Int64) throws(WorkloadError) -> ClipAudioSource {
        try checkRange(from: from, to: to)
        return try ClipAudioSource(reader: reader, participant: participant, stream: try stream(participant, kind: .audio), fromMicros: from, toMicros: to)
    }
}
