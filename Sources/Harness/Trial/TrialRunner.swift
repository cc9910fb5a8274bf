import Engine

/// Runs one trial in simulated mode: builds the engine from the profile, the participants from
/// the workload and their links from the network scenario, runs them in virtual time, and
/// reports what the participants measured.
///
/// Publishers stop at `spec.duration`; the trial then drains for `drain` so that retransmissions
/// in flight are not counted as lost. Same spec and seed: byte-identical result (except
/// `wallSeconds`, which the caller fills in).
public struct TrialRunner: Sendable {
    /// Time after the publishers stop during which the network drains.
    public var drain: Duration = .seconds(1)
    /// Directory that relative trace paths in the network scenario are resolved against.
    public var traceDirectory: String?

    /// With a workload file: send it exactly as recorded, answering key-frame requests only with
    /// the recording's own key frames (`sfulab replay` of a saved session). Default false: a
    /// request pulls the next recorded key frame forward, as an encoder would make one.
    public var replaysVerbatim = false

    public init(traceDirectory: String? = nil) {
        self.traceDirectory = traceDirectory
    }

    /// Runs `spec` and returns its measurements (`wallSeconds` is 0: timing is the caller's job,
    /// so that the result itself stays reproducible).
    public func run(_ spec: TrialSpec) throws -> TrialResult {
        try run(spec, recordingTo: nil)
    }

    /// Runs `spec`; with `recordPath`, also saves what the producers sent, as the engine received
    /// it, to that workload file (`sfulab record`). Recording needs `spec.workload.file`: synthetic
    /// media carries placeholder payloads, not real VP8/Opus.
    public func run(_ spec: TrialSpec, recordingTo recordPath: String?) throws -> TrialResult {
        guard spec.duration > .zero else { throw TrialError.invalidWorkload("duration must be positive") }
        // Recorded workload (Recorded/RecordedWorkload.swift) or synthetic roles.
        let recorded = try spec.workload.file.map { try RecordedWorkload(path: $0, verbatim: replaysVerbatim) }
        if recordPath != nil && recorded == nil {
            throw TrialError.invalidWorkload("recording needs a workload file (synthetic media carries placeholder payloads, not real VP8/Opus); synthesize one with `sfulab workload synth`")
        }
        let recorder = recordPath == nil ? nil : SessionRecorder()
        let roles = try recorded?.roles ?? ParticipantRole.roles(for: spec.workload)
        var random = SeededGenerator(seed: spec.seed)
        let engine = Engine(profile: spec.profile, seed: random.next())
        let world = TrialWorld(engine: engine)
        let measurements = MeasurementCollector()
        let stopAt = Instant.zero + spec.duration
        let end = stopAt + drain
        let layers = LayerTracker()
        world.onEngineEvent = { event, now in layers.handle(event, now: now) }
        if let recorder { world.onEngineIngress = { bytes, now in recorder.capture(Array(bytes), now: now) } }

        // Participants and their links.
        for member in try Self.makeParticipants(carrying: TrialWorld.Packet.self, spec: spec, roles: roles, stopAt: stopAt,
                                                measurements: measurements, traceDirectory: traceDirectory, random: &random) {
            world.add(member.participant, uplink: member.uplink, downlink: member.downlink)
        }
        if let recorded {
            try recorded.setUpSession(control: engine, participants: world.participants, stopAt: stopAt,
                                      recorder: recorder, random: &random)
        } else {
            try Self.setUpSession(control: engine, participants: world.participants, profile: spec.profile, random: &random)
        }
        world.wakeAll()

        // Sample the bandwidth estimate and layers every 500 ms while running.
        var estimate = TimeSeries(interval: .milliseconds(500))
        var time = Instant.zero
        while time < end {
            time = min(end, time + .milliseconds(500))
            if let recorded { recorded.run(world, until: time, measurements: measurements) } else { world.run(until: time) }
            if let failure = recorded?.failure { throw TrialError.invalidWorkload(failure.description) }
            // Mean over the transports that carry something (a listener-only trial would
            // otherwise average in idle transports sitting at their initial value).
            let transports = world.participants.filter { !$0.streams.isEmpty }.map(\.receiveTransport)
            let total = transports.compactMap { try? engine.availableOutgoingBitrate($0) }.reduce(Bitrate.zero, +)
            estimate.record(Double(total.bitsPerSecond) / 1_000 / Double(max(1, transports.count)), at: time)
            layers.sample(now: time)
        }
        if let recorder, let recordPath, let recorded {
            recorder.addEvents(recorded.manifest.events)
            do { try recorder.finish(path: recordPath, durationMicros: spec.duration.nanoseconds / 1_000) } catch {
                throw TrialError.invalidWorkload("recording: \(error)")
            }
        }
        return collect(world: world, measurements: measurements, layers: layers, estimate: estimate,
                       spec: spec, simulated: end)
    }

    /// Creates transports, producers and consumers as a signalling server would, through
    /// `control` (the engine itself in simulated mode, the engine server in live mode).
    static func setUpSession(control: any SessionControl, participants: [SimulatedParticipant], profile: Profile,
                             random: inout SeededGenerator) throws {
        let capabilities = control.capabilities
        guard let opus = capabilities.codec(mimeType: "audio/opus"), let vp8 = capabilities.codec(mimeType: "video/VP8") else {
            throw TrialError.engine("the simulated participants need audio/opus and video/VP8 in router.mediaCodecs")
        }
        var producers: [(publisher: Int, id: ProducerID)] = []
        for participant in participants {
            do {
                let send = try control.createTransport(for: participant.sendEndpoint)
                let receive = try control.createTransport(for: participant.receiveEndpoint)
                participant.engineSendEndpoint = send.local
                participant.engineReceiveEndpoint = receive.local
                participant.receiveTransport = receive.id
                if participant.role.sendsAudio {
                    let ssrc = UInt32(truncatingIfNeeded: random.next())
                    participant.configureAudio(ssrc: ssrc, payloadType: opus.payloadType)
                    let id = try control.produce(on: send.id, ProducerOptions(
                        kind: .audio, mimeType: opus.mimeType, payloadType: opus.payloadType, encodings: [ProducerEncoding(ssrc: ssrc)]))
                    producers.append((participant.index, id))
                }
                if participant.role.video != .none {
                    let encodings = Self.encodings(for: participant.role, profile: profile, random: &random)
                    participant.configureVideo(encodings: encodings, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType)
                    let id = try control.produce(on: send.id, ProducerOptions(
                        kind: .video, mimeType: vp8.mimeType, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType,
                        encodings: encodings.map { ProducerEncoding(ssrc: $0.ssrc, rtxSSRC: $0.rtxSSRC, maxBitrate: $0.bitrate) }))
                    producers.append((participant.index, id))
                }
            } catch let error as TrialError {
                throw error
            } catch {
                throw TrialError.engine("\(error)")
            }
        }
        // Everyone subscribes to everyone else's producers (mediasoup-demo behaviour).
        var key = 0
        for participant in participants {
            for (publisher, producer) in producers where publisher != participant.index {
                do {
                    let (_, parameters) = try control.consume(on: participant.receiveTransport, ConsumerOptions(producer: producer))
                    participant.addStream(parameters, publisher: publisher, key: key,
                                          now: .seconds(max(participant.role.joinAt, participants[publisher].role.joinAt)))
                    key += 1
                } catch {
                    throw TrialError.engine("\(error)")
                }
            }
        }
    }

    /// The simulcast encodings a participant sends: the profile's `producer.encodings` on desktop;
    /// on mobile the two lowest at 60 % of their bitrate (docs/synthetic-media.md).
    static func encodings(for role: ParticipantRole, profile: Profile, random: inout SeededGenerator)
        -> [(ssrc: UInt32, rtxSSRC: UInt32, bitrate: Bitrate)]
    {
        var chosen = profile.producer.encodings
        if role.video == .screen {
            chosen = [chosen.last ?? Encoding(rid: "r0", maxBitrate: 1_000_000, scaleResolutionDownBy: 1)]
        } else if role.device == .mobile {
            chosen = Array(chosen.prefix(2)).map { encoding in
                var scaled = encoding
                scaled.maxBitrate = encoding.maxBitrate * 0.6
                return scaled
            }
        }
        return chosen.map { encoding in
            (UInt32(truncatingIfNeeded: random.next()), UInt32(truncatingIfNeeded: random.next()), encoding.maxBitrate)
        }
    }
}
