import Engine
import Media

/// A workload file driving a simulated trial: the participants, their producers (Opus audio,
/// VP8 simulcast video with RTX), their subscriptions and events come from the manifest, and
/// each publisher sends the recorded packets at their recorded times (`RecordedPublisher`).
///
/// Only the manifest is held in memory; packets stream from disk through one cursor per
/// (participant, stream, encoding).
final class RecordedWorkload {
    let reader: WorkloadReader
    var manifest: WorkloadManifest { reader.manifest }
    /// Replay a saved session exactly as recorded (key-frame requests do not pull the next
    /// recorded key frame forward).
    let verbatim: Bool
    private(set) var publishers: [RecordedPublisher?] = []
    /// Engine-side consequences of the manifest's events, in time order (RecordedWorkload+Events).
    var pendingActions: [ScheduledAction] = []
    /// Told about device switches (new SSRCs of a recorded stream), when the session is being saved.
    var recorder: SessionRecorder?
    /// Device switches carried out so far.
    var deviceSwitches = 0

    /// Opens and checks `path`: a readable workload whose streams the simulated engine can route.
    init(path: String, verbatim: Bool) throws(TrialError) {
        do { reader = try WorkloadReader(path: path) } catch {
            throw .invalidWorkload(error.description)
        }
        self.verbatim = verbatim
        let manifest = reader.manifest
        guard !manifest.participants.isEmpty else { throw .invalidWorkload("\(path): the manifest lists no participants") }
        for participant in manifest.participants {
            for stream in participant.streams {
                let where_ = "\(path): participant \(participant.id), stream \(stream.id)"
                switch (stream.kind, stream.codec.lowercased()) {
                case (.audio, "opus"), (.video, "vp8"), (.video, "vp9"):
                    break
                default:
                    throw .invalidWorkload("\(where_): codec \(stream.codec) is not supported (Opus audio, VP8 or VP9 video)")
                }
                guard !stream.encodings.isEmpty else { throw .invalidWorkload("\(where_) has no encodings") }
            }
        }
    }

    /// One role per manifest participant: its device and the time of its first `join` (0 without one).
    /// Roles publish nothing synthetic; their media comes from the file.
    var roles: [ParticipantRole] {
        manifest.participants.map { participant in
            ParticipantRole(sendsAudio: false, video: .none, device: participant.device == .mobile ? .mobile : .desktop,
                            joinAt: Double(joinMicros(participant.id)) / 1e6)
        }
    }

    func joinMicros(_ participant: String) -> Int64 {
        manifest.events.first { $0.participant == participant && $0.kind == .join }?.timeMicros ?? 0
    }

    /// The first error reading packets during the trial, if any.
    var failure: WorkloadError? { publishers.lazy.compactMap { $0?.failure }.first }

    /// Creates transports, producers and consumers from the manifest, as a signalling server would.
    /// Through `control`: the engine itself in simulated mode, the engine server in live mode.
    func setUpSession(control: any SessionControl, participants: [SimulatedParticipant], stopAt: Instant,
                      recorder: SessionRecorder?, random: inout SeededGenerator) throws(TrialError) {
        guard let opus = control.capabilities.codec(mimeType: "audio/opus"), let vp8 = control.capabilities.codec(mimeType: "video/VP8") else {
            throw .engine("recorded workloads need audio/opus and video/VP8 in router.mediaCodecs")
        }
        let vp9 = control.capabilities.codec(mimeType: "video/VP9")
        var producers: [String: (publisher: Int, id: ProducerID)] = [:]
        for (index, participant) in manifest.participants.enumerated() {
            let simulated = participants[index]
            let send: (id: TransportID, local: Endpoint)
            let receive: (id: TransportID, local: Endpoint)
            do {
                send = try control.createTransport(for: simulated.sendEndpoint)
                receive = try control.createTransport(for: simulated.receiveEndpoint)
            } catch {
                throw .engine("\(participant.id): \(error)")
            }
            simulated.engineSendEndpoint = send.local
            simulated.engineReceiveEndpoint = receive.local
            simulated.receiveTransport = receive.id
            recorder?.addParticipant(participant, joinMicros: joinMicros(participant.id))
            var senders: [RecordedEncodingSender] = []
            for stream in participant.streams {
                let isVideo = stream.kind == .video
                let isVP9 = isVideo && stream.codec.lowercased() == "vp9"
                guard !isVP9 || vp9 != nil else {
                    throw .engine("\(participant.id)/\(stream.id) is VP9: add video/VP9 to router.mediaCodecs")
                }
                let codec = isVP9 ? vp9! : (isVideo ? vp8 : opus)
                let silent = WorkloadSessionCursor.silentIntervals(manifest, participant: participant.id, stream: stream.id)
                let timestampOffset = UInt32(truncatingIfNeeded: random.next())
                var encodings: [ProducerEncoding] = []
                var ssrcs: [UInt32] = []
                for (layer, encoding) in stream.encodings.enumerated() {
                    let ssrc = UInt32(truncatingIfNeeded: random.next())
                    let rtxSSRC = isVideo ? UInt32(truncatingIfNeeded: random.next()) : nil
                    let cursor: WorkloadPacketCursor
                    do {
                        cursor = try reader.packets(participant: participant.id, stream: stream.id,
                                                    rid: stream.encodings.count == 1 ? nil : encoding.rid)
                    } catch { throw .invalidWorkload(error.description) }
                    senders.append(RecordedEncodingSender(
                        reader: reader, cursor: cursor, layer: layer, rate: Bitrate(bitsPerSecond: Int64(encoding.maxBitrate)),
                        ssrc: ssrc, rtxSSRC: rtxSSRC, payloadType: codec.payloadType,
                        rtxPayloadType: isVideo ? codec.rtxPayloadType : nil, isVideo: isVideo, clockRate: stream.clockRate,
                        timestampOffset: timestampOffset, loops: !verbatim, silent: silent, random: &random))
                    encodings.append(ProducerEncoding(ssrc: ssrc, rtxSSRC: rtxSSRC,
                                                      maxBitrate: Bitrate(bitsPerSecond: Int64(encoding.maxBitrate)),
                                                      scalabilityMode: encoding.scalabilityMode))
                    ssrcs.append(ssrc)
                }
                do {
                    let id = try control.produce(on: send.id, ProducerOptions(
                        kind: isVideo ? .video : .audio, mimeType: codec.mimeType, payloadType: codec.payloadType,
                        rtxPayloadType: isVideo ? codec.rtxPayloadType : nil, encodings: encodings))
                    producers["\(participant.id)\u{0}\(stream.id)"] = (index, id)
                } catch {
                    throw .engine("\(participant.id)/\(stream.id): \(error)")
                }
                recorder?.addStream(stream, of: participant.id, ssrcs: ssrcs, tracks: stream.encodings.map { manifest.track($0.track) })
            }
            // A verbatim replay sends exactly what was recorded; otherwise simulcast encodings
            // follow the uplink estimate, starting with those the initial estimate covers.
            let publisher = RecordedPublisher(encodings: senders, stopAt: stopAt, adapts: !verbatim)
            do { try publisher.start() } catch { throw .invalidWorkload(error.description) }
            simulated.recorded = publisher
            simulated.adaptVideoLayers(now: simulated.joinAt)
            publishers.append(publisher)
        }
        // Subscriptions as the manifest lists them.
        var key = 0
        var consumed: [ConsumedStream] = []
        for (index, participant) in manifest.participants.enumerated() {
            for subscription in participant.subscriptions {
                guard let (publisher, producer) = producers["\(subscription.participant)\u{0}\(subscription.stream)"] else {
                    throw .invalidWorkload("\(reader.path): \(participant.id) subscribes to \(subscription.participant)/\(subscription.stream), which nobody publishes")
                }
                do {
                    let (consumer, parameters) = try control.consume(on: participants[index].receiveTransport, ConsumerOptions(producer: producer))
                    let start = max(joinMicros(participant.id), joinMicros(subscription.participant))
                    participants[index].addStream(parameters, publisher: publisher, key: key, now: Instant(nanoseconds: start * 1_000))
                    consumed.append(ConsumedStream(subscriber: participant.id, producer: producer, consumer: consumer,
                                                   key: key, isVideo: parameters.kind == .video))
                    key += 1
                } catch {
                    throw .engine("\(participant.id) consuming \(subscription.participant)/\(subscription.stream): \(error)")
                }
                recorder?.addSubscription(subscription, of: participant.id)
            }
        }
        scheduleEvents(producers: producers.mapValues(\.id), consumed: consumed, recorder: recorder)
    }
}
