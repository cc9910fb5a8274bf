import Engine
import Media
import RTP

/// Saves what the producers of a simulated session sent, as the engine received it (after the
/// uplink: lost packets are missing, duplicates dropped, retransmissions not counted twice), in
/// the workload format: one track per (participant, stream, encoding), capture times from the
/// packets' probe (the publisher's send time) so that replaying the file sends every packet at
/// the time it was first sent.
///
/// A device switch gives a stream's encodings new SSRCs (`sourceReplaced`): their packets go on
/// in the same tracks as a new *generation*, whose RTP timestamps the file continues from the
/// capture-time distance to the stream's first packet (the new source's own timestamp base
/// says nothing), so that replaying the file and recording it again gives the same bytes.
///
/// Packets are kept in memory until `finish` (a session of minutes at tens of Mbit/s is tens of
/// MB); the file is written through `WorkloadWriter` (temporary file, then rename).
final class SessionRecorder {
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
    }

    /// What arrives on one SSRC: its track, generation, and sequence-number state.
    private struct Source {
        var track: Int
        var generation: Int
        var seen = RecentSequenceSet()
        var unwrapper = SequenceNumberUnwrapper()
    }

    private var tracks: [Track] = []
    private var sources: [UInt32: Source] = [:]
    private var participants: [WorkloadParticipant] = []
    private var events: [WorkloadEvent] = []

    func addParticipant(_ participant: WorkloadParticipant, joinMicros: Int64) {
        participants.append(WorkloadParticipant(id: participant.id, role: participant.role, device: participant.device,
                                                streams: [], subscriptions: []))
        events.append(WorkloadEvent(timeMicros: joinMicros, kind: .join, participant: participant.id))
    }

    /// Registers a produced stream; `ssrcs` and `tracks` follow `stream.encodings`.
    func addStream(_ stream: WorkloadStream, of participant: String, ssrcs: [UInt32], tracks sources: [WorkloadTrack?]) {
        guard let owner = participants.firstIndex(where: { $0.id == participant }) else { return }
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
            self.sources[ssrcs[index]] = Source(track: tracks.count, generation: 0)
            tracks.append(Track(id: id, template: template, participant: participant, stream: stream.id, isVideo: stream.kind == .video,
                                isVP9: stream.codec.uppercased() == "VP9"))
        }
        participants[owner].streams.append(recorded)
    }

    func addSubscription(_ subscription: WorkloadSubscription, of participant: String) {
        guard let index = participants.firstIndex(where: { $0.id == participant }) else { return }
        participants[index].subscriptions.append(subscription)
    }

    /// Copies the source's events other than joins (mute, leave, screen share, device switch).
    func addEvents(_ source: [WorkloadEvent]) {
        events += source.filter { $0.kind != .join }
    }

    /// A device switch: the encoding that sent on `old` now sends on `new`, as a new generation
    /// of the same track. Late packets on `old` still count for the old generation.
    func sourceReplaced(old: UInt32, new: UInt32) {
        guard let track = sources[old]?.track else { return }
        sources[new] = Source(track: track, generation: tracks[track].generations)
        tracks[track].generations += 1
    }

    /// A datagram the engine is about to receive from a publisher.
    func capture(_ bytes: [UInt8], now: Instant) {
        bytes.withUnsafeBytes { raw in
            guard !RTPDemux.isRTCP(raw), let view = try? RTPPacketView(parsing: raw),
                  let source = sources[view.header.ssrc], view.header.payloadLength > 0 else { return }
            let sequence = view.header.sequenceNumber.rawValue
            guard sources[view.header.ssrc]!.seen.insert(sequence) else { return }
            let extended = sources[view.header.ssrc]!.unwrapper.unwrap(sequence)
            let index = source.track
            let payload = view.payload
            let captureMicros = (ProbeExtension.read(packet: raw)?.captureTime ?? now.nanoseconds) / 1_000
            var packet = WorkloadPacket(captureTimeMicros: max(0, captureMicros), rtpTimestamp: view.header.timestamp,
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
    }

    /// Packets recorded so far, over all tracks.
    var packetCount: Int { tracks.reduce(0) { $0 + $1.packets.count } }

    /// Writes the session to `path` (temporary file, then rename).
    func finish(path: String, durationMicros: Int64) throws(WorkloadError) {
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
            try writer.beginTrack(template)
            for var entry in track.packets {
                entry.packet.isKeyFrame = track.isVideo && keyFrames.contains(KeyFrame(generation: entry.generation, timestamp: entry.packet.rtpTimestamp))
                entry.packet.rtpTimestamp = entry.packet.rtpTimestamp &- bases[entry.generation]
                try writer.append(entry.packet)
            }
            written.append(try writer.endTrack())
        }
        let manifest = WorkloadManifest(durationMicros: durationMicros, tracks: written, participants: participants,
                                        events: events.sorted { ($0.timeMicros, $0.participant) < ($1.timeMicros, $1.participant) })
        try writer.finish(manifest)
    }

    private struct KeyFrame: Hashable {
        var generation: Int
        var timestamp: UInt32
    }
}
