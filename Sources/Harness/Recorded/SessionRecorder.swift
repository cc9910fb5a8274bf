import Engine
import Media
import RTP

/// Saves what the producers of a simulated session sent, as the engine received it (after the
/// uplink: lost packets are missing, duplicates dropped, retransmissions not counted twice), in
/// the workload format: one track per (participant, stream, encoding), capture times from the
/// packets' probe (the publisher's send time) so that replaying the file sends every packet at
/// the time it was first sent.
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
        var seen = RecentSequenceSet()
        var unwrapper = SequenceNumberUnwrapper()
        /// (extended sequence number, packet) with the RTP timestamp as received.
        var packets: [(sequence: Int64, packet: WorkloadPacket)] = []
    }

    private var tracks: [Track] = []
    private var trackBySSRC: [UInt32: Int] = [:]
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
            trackBySSRC[ssrcs[index]] = tracks.count
            tracks.append(Track(id: id, template: template, participant: participant, stream: stream.id, isVideo: stream.kind == .video))
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

    /// A datagram the engine is about to receive from a publisher.
    func capture(_ bytes: [UInt8], now: Instant) {
        bytes.withUnsafeBytes { raw in
            guard !RTPDemux.isRTCP(raw), let view = try? RTPPacketView(parsing: raw),
                  let index = trackBySSRC[view.header.ssrc], view.header.payloadLength > 0 else { return }
            let sequence = view.header.sequenceNumber.rawValue
            guard tracks[index].seen.insert(sequence) else { return }
            let extended = tracks[index].unwrapper.unwrap(sequence)
            let payload = view.payload
            let captureMicros = (ProbeExtension.read(packet: raw)?.captureTime ?? now.nanoseconds) / 1_000
            var packet = WorkloadPacket(captureTimeMicros: max(0, captureMicros), rtpTimestamp: view.header.timestamp,
                                        isFrameEnd: true, isFrameStart: true, isKeyFrame: false, payload: Array(payload))
            if tracks[index].isVideo, let descriptor = try? VP8PayloadDescriptor(parsing: payload) {
                packet.isFrameEnd = view.header.marker
                packet.isFrameStart = descriptor.isStartOfFrame
                packet.isKeyFrame = descriptor.isStartOfFrame && VP8PayloadDescriptor.isKeyFrame(payload: payload)
                packet.temporalLayer = descriptor.temporalLayerID ?? 0
            }
            tracks[index].packets.append((extended, packet))
        }
    }

    /// Packets recorded so far, over all tracks.
    var packetCount: Int { tracks.reduce(0) { $0 + $1.packets.count } }

    /// Writes the session to `path` (temporary file, then rename).
    func finish(path: String, durationMicros: Int64) throws(WorkloadError) {
        let writer = try WorkloadWriter(path: path)
        // RTP timestamps become relative to each stream's earliest packet.
        var bases: [String: UInt32] = [:]
        var earliest: [String: (Int64, Int64)] = [:]
        for index in tracks.indices {
            tracks[index].packets.sort { ($0.packet.captureTimeMicros, $0.sequence) < ($1.packet.captureTimeMicros, $1.sequence) }
            guard let first = tracks[index].packets.first else { continue }
            let key = "\(tracks[index].participant)\u{0}\(tracks[index].stream)"
            let order = (first.packet.captureTimeMicros, Int64(index))
            if earliest[key].map({ order < $0 }) ?? true {
                earliest[key] = order
                bases[key] = first.packet.rtpTimestamp
            }
        }
        var written: [WorkloadTrack] = []
        for track in tracks {
            let base = bases["\(track.participant)\u{0}\(track.stream)"] ?? 0
            // Every packet of a key frame carries the flag (the start packet says it is one).
            let keyTimestamps = Set(track.packets.filter(\.packet.isKeyFrame).map(\.packet.rtpTimestamp))
            var template = track.template
            template.durationMicros = durationMicros
            try writer.beginTrack(template)
            for var entry in track.packets {
                entry.packet.isKeyFrame = track.isVideo && keyTimestamps.contains(entry.packet.rtpTimestamp)
                entry.packet.rtpTimestamp = entry.packet.rtpTimestamp &- base
                try writer.append(entry.packet)
            }
            written.append(try writer.endTrack())
        }
        let manifest = WorkloadManifest(durationMicros: durationMicros, tracks: written, participants: participants,
                                        events: events.sorted { ($0.timeMicros, $0.participant) < ($1.timeMicros, $1.participant) })
        try writer.finish(manifest)
    }
}
