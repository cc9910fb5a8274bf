import Engine
import Media
import RTP

/// Saves what the producers of a session sent, as the engine received it (after the uplink: lost
/// packets are missing, duplicates dropped, retransmissions not counted twice), in the workload
/// format: one track per (participant, stream, encoding).
///
/// Two recorders feed it. A simulated session (`TrialRunner`) registers streams with their SSRCs
/// and hands it every datagram the engine is about to receive (`capture(_:now:)`); capture times
/// come from the packets' probe (the publisher's send time) so that replaying the file sends
/// every packet at the time it was first sent. A live engine's tap (`LiveRecorder`) registers
/// streams as producers appear, binds sources itself (`bindSource`) and gives each packet its
/// capture time (`capture(rtp:source:captureMicros:isRetransmission:)`).
///
/// A device switch gives a stream's encodings new SSRCs (`sourceReplaced`): their packets go on
/// in the same tracks as a new *generation*, whose RTP timestamps the file continues from the
/// capture-time distance to the stream's first packet (the new source's own timestamp base
/// says nothing), so that replaying the file and recording it again gives the same bytes.
///
/// Packets are kept in memory until `finish` (a session of minutes at tens of Mbit/s is tens of
/// MB); the file is written through `WorkloadWriter` (temporary file, then rename).
package final class SessionRecorder {
    private struct Track {
        var id: String
        var template: WorkloadTrack
        var participant: String
        var stream: String
        var isVideo: Bool
        var isVP9: Bool
        /// (source generation, extended sequence number, packet) with the RTP timestamp as received.
        var packets: [(generation: Int, sequence: Int64, packet: WorkloadPacket)] = []
        /// Generations so far (1 + device switches).
        var generations = 1
        /// A source is bound to generation 0.
        var hasSource = false
    }

    /// What arrives from one source (an SSRC, or a live recorder's key): its track, generation,
    /// and sequence-number state.
    private struct Source {
        var track: Int
        var generation: Int
        let seen = RecentSequenceSet()
    }

    private var tracks: [Track] = []
    /// By source key: the SSRC for simulated sessions, the recorder's own key for live ones.
    private var sources: [UInt64: Source] = [:]
    private var participants: [WorkloadParticipant] = []
    private var events: [WorkloadEvent] = []
    /// How far back a retransmission looks for the packet it follows (`capture(rtp:...)`).
    private static let retransmissionLookBack = 2_048

    package init() {}

    package func addParticipant(_ participant: WorkloadParticipant, joinMicros: Int64) {
        participants.append(WorkloadParticipant(id: participant.id, role: participant.role, device: participant.device,
                                                streams: [], subscriptions: []))
        events.append(WorkloadEvent(timeMicros: joinMicros, kind: .join, participant: participant.id))
    }

    /// Registers a produced stream; `ssrcs` and `tracks` follow `stream.encodings`.
    func addStream(_ stream: WorkloadStream, of participant: String, ssrcs: [UInt32], tracks sources: [WorkloadTrack?]) {
        for (track, ssrc) in zip(addStream(stream, of: participant, tracks: sources), ssrcs) {
            bindSource(UInt64(ssrc), track: track)
        }
    }

    /// Registers a produced stream without binding sources; `tracks` (templates, nil for none)
    /// follow `stream.encodings`. Returns the index of each encoding's track, for `bindSource`;
    /// empty when `participant` is unknown. A bitrate of 0 means unknown: `finish` writes the
    /// measured mean.
    @discardableResult
    package func addStream(_ stream: WorkloadStream, of participant: String, tracks sources: [WorkloadTrack?]) -> [Int] {
        guard let owner = participants.firstIndex(where: { $0.id == participant }) else { return [] }
        var indices: [Int] = []
        var recorded = stream
        recorded.timeShiftMicros = 0
        for (index, encoding) in stream.encodings.enumerated() {
            let prefix = stream.id.hasPrefix("\(participant)-") ? stream.id : "\(participant)-\(stream.id)"
            let id = "\(prefix)-\(encoding.rid ?? "0")"
            recorded.encodings[index].track = id
            var template = sources[index] ?? WorkloadTrack(id: id, kind: stream.kind, codec: stream.codec, clockRate: stream.clockRate,
                                                           targetBitrate: encoding.maxBitrate, source: stream.source, durationMicros: 0)
            template.id = id
            if !template.source.hasPrefix("recorded from ") {
                template.source = "recorded from \(participant)/\(stream.id): \(template.source)"
            }
            indices.append(tracks.count)
            tracks.append(Track(id: id, template: template, participant: participant, stream: stream.id, isVideo: stream.kind == .video,
                                isVP9: stream.codec.uppercased() == "VP9"))
        }
        participants[owner].streams.append(recorded)
        return indices
    }

    /// Packets of source `key` go to `track`: the track's first source is its generation 0, each
    /// later one a new generation (a device switch). Rebinding a known key changes nothing.
    package func bindSource(_ key: UInt64, track: Int) {
        guard sources[key] == nil, tracks.indices.contains(track) else { return }
        if tracks[track].hasSource {
            sources[key] = Source(track: track, generation: tracks[track].generations)
            tracks[track].generations += 1
        } else {
            sources[key] = Source(track: track, generation: 0)
            tracks[track].hasSource = true
        }
    }

    /// Whether packets of source `key` are recorded.
    package func isBound(_ key: UInt64) -> Bool { sources[key] != nil }

    /// Changes a participant's role (a live viewer that starts publishing).
    package func setRole(_ role: WorkloadParticipant.Role, of participant: String) {
        guard let index = participants.firstIndex(where: { $0.id == participant }) else { return }
        participants[index].role = role
    }

    package func addSubscription(_ subscription: WorkloadSubscription, of participant: String) {
        guard let index = participants.firstIndex(where: { $0.id == participant }) else { return }
        participants[index].subscriptions.append(subscription)
    }

    /// Copies the source's events other than joins (mute, leave, screen share, device switch).
    func addEvents(_ source: [WorkloadEvent]) {
        events += source.filter { $0.kind != .join }
    }

    /// Adds one event (a live session's mute, unmute or device switch).
    package func addEvent(_ event: WorkloadEvent) {
        events.append(event)
    }

    /// A device switch: the encoding that sent on `old` now sends on `new`, as a new generation
    /// of the same track. Late packets on `old` still count for the old generation.
    func sourceReplaced(old: UInt32, new: UInt32) {
        guard let track = sources[UInt64(old)]?.track else { return }
        bindSource(UInt64(new), track: track)
    }

    /// A datagram the engine is about to receive from a publisher (simulated sessions: the
    /// source is the SSRC, the capture time the packet's probe, else `now`).
    func capture(_ bytes: [UInt8], now: Instant) {
        bytes.withUnsafeBytes { raw in
            guard !RTPDemux.isRTCP(raw), let view = try? RTPPacketView(parsing: raw),
                  sources[UInt64(view.header.ssrc)] != nil, view.header.payloadLength > 0 else { return }
            let captureMicros = (ProbeExtension.read(packet: raw)?.captureTime ?? now.nanoseconds) / 1_000
            record(view, source: UInt64(view.header.ssrc), captureMicros: captureMicros, isRetransmission: false)
        }
    }

    /// An RTP packet of source `key` captured at `captureMicros` (session time). A retransmission
    /// (a packet recovered from RTX, which arrives late) takes the capture time of the packet
    /// before it in sequence order, so that it keeps its place in the track.
    package func capture(rtp raw: UnsafeRawBufferPointer, source key: UInt64, captureMicros: Int64, isRetransmission: Bool) {
        guard !RTPDemux.isRTCP(raw), let view = try? RTPPacketView(parsing: raw) else { return }
        record(view, source: key, captureMicros: captureMicros, isRetransmission: isRetransmission)
    }

    private func record(_ view: RTPPacketView, source key: UInt64, captureMicros: Int64, isRetransmission: Bool) {
        guard let source = sources[key], view.header.payloadLength > 0 else { return }
        let sequence = view.header.sequenceNumber.rawValue
        // The duplicate filter unwraps the number (its unwrapper moves only on new numbers).
        guard let extended = sources[key]!.seen.insert(sequence) else { return }
        let index = source.track
        let payload = view.payload
        var captureMicros = max(0, captureMicros)
        if isRetransmission, let before = tracks[index].packets.suffix(Self.retransmissionLookBack)
            .last(where: { $0.generation == source.generation && $0.sequence < extended }) {
            captureMicros = min(captureMicros, before.packet.captureTimeMicros)
        }
        var packet = WorkloadPacket(captureTimeMicros: captureMicros, rtpTimestamp: view.header.timestamp,
                                    isFrameEnd: true, isFrameStart: true, isKeyFrame: false, payload: Array(payload))
        if tracks[index].isVP9, let descriptor = try? VP9PayloadDescriptor(parsing: payload) {
            // The record's frame flags are the picture's: start at spatial layer 0, end at the marker.
            let layer = descriptor.layerIndices
            packet.isFrameEnd = view.header.marker
            packet.isFrameStart = descriptor.isStartOfFrame && (layer?.spatialLayerID ?? 0) == 0
            packet.isKeyFrame = descriptor.isKeyFrame
            packet.spatialLayer = layer?.spatialLayerID ?? 0
            packet.temporalLayer = layer?.temporalLayerID ?? 0
        } else if tracks[index].isVideo, let descriptor = try? VP8PayloadDescriptor(parsing: payload) {
            packet.isFrameEnd = view.header.marker
            packet.isFrameStart = descriptor.isStartOfFrame
            packet.isKeyFrame = descriptor.isStartOfFrame && VP8PayloadDescriptor.isKeyFrame(payload: payload)
            packet.temporalLayer = descriptor.temporalLayerID ?? 0
        }
        tracks[index].packets.append((source.generation, extended, packet))
    }

    /// Packets recorded so far, over all tracks.
    package var packetCount: Int { tracks.reduce(0) { $0 + $1.packets.count } }

    /// Writes the session to `path` (temporary file, then rename); `recording` says where a live
    /// session came from.
    package func finish(path: String, durationMicros: Int64, recording: WorkloadRecordingInfo? = nil) throws(WorkloadError) {
        let writer = try WorkloadWriter(path: path)
        // RTP timestamps become relative to the earliest packet of each stream and generation;
        // a later generation starts at its capture-time distance from the stream's first packet.
        struct Origin { var capture: Int64; var track: Int; var timestamp: UInt32 }
        var origins: [String: Origin] = [:]
        func key(_ track: Track, _ generation: Int) -> String { "\(track.participant)\u{0}\(track.stream)\u{0}\(generation)" }
        for index in tracks.indices {
            tracks[index].packets.sort { ($0.packet.captureTimeMicros, $0.generation, $0.sequence) < ($1.packet.captureTimeMicros, $1.generation, $1.sequence) }
            for generation in 0..<tracks[index].generations {
                guard let first = tracks[index].packets.first(where: { $0.generation == generation })?.packet else { continue }
                let generationKey = key(tracks[index], generation)
                if origins[generationKey].map({ (first.captureTimeMicros, index) < ($0.capture, $0.track) }) ?? true {
                    origins[generationKey] = Origin(capture: first.captureTimeMicros, track: index, timestamp: first.rtpTimestamp)
                }
            }
        }
        var written: [WorkloadTrack] = []
        for track in tracks {
            let streamStart = (0..<track.generations).compactMap { origins[key(track, $0)]?.capture }.min() ?? 0
            func base(_ generation: Int) -> UInt32 {
                guard let origin = origins[key(track, generation)] else { return 0 }
                let ticks = (origin.capture - streamStart) * Int64(track.template.clockRate) / 1_000_000
                return origin.timestamp &- UInt32(truncatingIfNeeded: ticks)
            }
            let bases = (0..<track.generations).map(base)
            // Every packet of a key frame carries the flag (the start packet says it is one).
            let keyFrames = Set(track.packets.filter(\.packet.isKeyFrame).map { KeyFrame(generation: $0.generation, timestamp: $0.packet.rtpTimestamp) })
            var template = track.template
            template.durationMicros = durationMicros
            if template.targetBitrate == 0 { template.targetBitrate = measuredBitrate(track, durationMicros: durationMicros) }
            if track.isVideo, template.width == nil, let size = keyFrameSize(track) {
                (template.width, template.height) = (size.width, size.height)
            }
            if track.isVideo, template.frameRate == nil { template.frameRate = measuredFrameRate(track) }
            try writer.beginTrack(template)
            for var entry in track.packets {
                entry.packet.isKeyFrame = track.isVideo && keyFrames.contains(KeyFrame(generation: entry.generation, timestamp: entry.packet.rtpTimestamp))
                entry.packet.rtpTimestamp = entry.packet.rtpTimestamp &- bases[entry.generation]
                try writer.append(entry.packet)
            }
            written.append(try writer.endTrack())
        }
        // Encodings declared without a bitrate get their track's measured one.
        let targets = Dictionary(uniqueKeysWithValues: written.map { ($0.id, $0.targetBitrate) })
        var participants = participants
        for p in participants.indices {
            for s in participants[p].streams.indices {
                for e in participants[p].streams[s].encodings.indices where participants[p].streams[s].encodings[e].maxBitrate == 0 {
                    participants[p].streams[s].encodings[e].maxBitrate = targets[participants[p].streams[s].encodings[e].track] ?? 0
                }
            }
        }
        let manifest = WorkloadManifest(durationMicros: durationMicros, tracks: written, participants: participants,
                                        events: events.sorted { ($0.timeMicros, $0.participant) < ($1.timeMicros, $1.participant) },
                                        recording: recording)
        try writer.finish(manifest)
    }

    /// The picture size the track's first key frame states (VP9: its top spatial layer), for
    /// tracks recorded without one (a live engine's).
    private func keyFrameSize(_ track: Track) -> (width: Int, height: Int)? {
        guard let key = track.packets.first(where: { $0.packet.isKeyFrame && $0.packet.isFrameStart }) else { return nil }
        let picture = track.packets.filter { $0.generation == key.generation && $0.packet.rtpTimestamp == key.packet.rtpTimestamp }
        guard track.isVP9 else { return VPXFrameHeader.size(ofPayload: key.packet.payload, vp9: false) }
        let top = picture.map(\.packet.spatialLayer).max() ?? 0
        return picture.first { $0.packet.spatialLayer == top }.flatMap { VPXFrameHeader.size(ofPayload: $0.packet.payload, vp9: true) }
    }

    /// Frames per second over the track's span (nil with fewer than two frames).
    private func measuredFrameRate(_ track: Track) -> Int? {
        let ends = track.packets.filter(\.packet.isFrameEnd).map(\.packet.captureTimeMicros)
        guard ends.count >= 2, let first = ends.min(), let last = ends.max(), last > first else { return nil }
        return Int((Double(ends.count - 1) * 1e6 / Double(last - first)).rounded())
    }

    /// Mean bits per second of a track's payloads over the session (0 when it is empty).
    private func measuredBitrate(_ track: Track, durationMicros: Int64) -> Int {
        let bytes = track.packets.reduce(0) { $0 + $1.packet.payload.count }
        return durationMicros > 0 ? Int(Int64(bytes) * 8 * 1_000_000 / durationMicros) : 0
    }

    private struct KeyFrame: Hashable {
        var generation: Int
        var timestamp: UInt32
    }
}
