import Engine
import Media

/// The manifest's events as a signalling server would carry them out. The publishers already
/// send nothing while muted, before a screen share starts or after it stops, or after leaving
/// (`RecordedEncodingSender.silent`); here the engine hears about it too, as mediasoup's
/// `producer.pause()`/`resume()` and `consumer.pause()`:
///
/// - `mute` pauses the stream's producer, `unmute` resumes it (the engine then asks for a key
///   frame); `screenShareStop` pauses it, `screenShareStart` resumes it (a screen stream with a
///   `screenShareStart` after its participant's join is paused from the start until then);
/// - `leave` pauses the participant's producers and the consumers it receives on;
/// - `deviceSwitch` (a new camera or microphone, on `stream` or, without one, on every stream of
///   the participant) makes the publisher restart each encoding as a new RTP stream — new SSRCs,
///   sequence numbers and timestamps, video from a key frame — and tells the engine with
///   `replaceProducerSource`, so that subscribers keep one continuous stream. The old device
///   stops at the event and the new one starts once the engine has bound its SSRCs (at once in
///   simulated mode; at the server's answer in live mode). The time from then to each video
///   subscriber's first decodable frame of the new source is measured (`deviceSwitchGap`).
///
/// Subscribers are told a paused stream went inactive on purpose, so the gap is a pause, not a
/// freeze (libwebrtc's `VideoQualityObserver` does the same); a device switch's gap is not, and
/// counts as a freeze when it is long enough. `join` needs no action: producers and consumers
/// exist from the start and nothing flows before it.
extension RecordedWorkload {
    /// A consumer created for a subscription.
    struct ConsumedStream {
        var subscriber: String
        var producer: ProducerID
        var consumer: ConsumerID
        /// The subscriber's stream key (MeasurementCollector).
        var key: Int
        var isVideo: Bool
    }

    /// An engine call due at a session time.
    struct ScheduledAction {
        enum Kind {
            case pauseProducer(ProducerID, inactiveKeys: [Int])
            case resumeProducer(ProducerID)
            case pauseConsumer(ConsumerID)
            /// A device switch of the stream whose encodings play `tracks`, published by
            /// participant `publisher` (index) as `producer`; `keys` are its subscribers' video streams.
            case replaceSource(ProducerID, publisher: Int, tracks: [String], keys: [Int])
        }

        var timeMicros: Int64
        var kind: Kind
    }

    func scheduleEvents(producers: [String: ProducerID], consumed: [ConsumedStream], recorder: SessionRecorder?) {
        self.recorder = recorder
        func producer(_ participant: String, _ stream: String) -> ProducerID? { producers["\(participant)\u{0}\(stream)"] }
        func pause(_ id: ProducerID, at time: Int64) -> ScheduledAction {
            let keys = consumed.filter { $0.producer == id && $0.isVideo }.map(\.key)
            return ScheduledAction(timeMicros: time, kind: .pauseProducer(id, inactiveKeys: keys))
        }
        var actions: [ScheduledAction] = []
        // A screen share that starts later is paused until then.
        for participant in manifest.participants {
            for stream in participant.streams {
                let screenEvents = manifest.events.filter {
                    $0.participant == participant.id && $0.stream == stream.id && ($0.kind == .screenShareStart || $0.kind == .screenShareStop)
                }
                if let first = screenEvents.first, first.kind == .screenShareStart, first.timeMicros > joinMicros(participant.id),
                   let id = producer(participant.id, stream.id) {
                    actions.append(pause(id, at: 0))
                }
            }
        }
        for event in manifest.events {
            let owner = manifest.participant(event.participant)
            switch event.kind {
            case .mute, .screenShareStop:
                if let stream = event.stream, let id = producer(event.participant, stream) { actions.append(pause(id, at: event.timeMicros)) }
            case .unmute, .screenShareStart:
                if let stream = event.stream, let id = producer(event.participant, stream) {
                    actions.append(ScheduledAction(timeMicros: event.timeMicros, kind: .resumeProducer(id)))
                }
            case .leave:
                for stream in owner?.streams ?? [] {
                    if let id = producer(event.participant, stream.id) { actions.append(pause(id, at: event.timeMicros)) }
                }
                for entry in consumed where entry.subscriber == event.participant {
                    actions.append(ScheduledAction(timeMicros: event.timeMicros, kind: .pauseConsumer(entry.consumer)))
                }
            case .deviceSwitch:
                guard let owner, let index = manifest.participants.firstIndex(where: { $0.id == owner.id }) else { break }
                for stream in owner.streams where event.stream == nil || event.stream == stream.id {
                    guard let id = producer(owner.id, stream.id) else { continue }
                    let keys = consumed.filter { $0.producer == id && $0.isVideo }.map(\.key)
                    actions.append(ScheduledAction(timeMicros: event.timeMicros, kind: .replaceSource(
                        id, publisher: index, tracks: stream.encodings.map(\.track), keys: keys)))
                }
            case .join:
                break
            }
        }
        // Stable: events at the same time keep manifest order.
        pendingActions = actions.enumerated().sorted { ($0.element.timeMicros, $0.offset) < ($1.element.timeMicros, $1.offset) }.map(\.element)
    }

    /// Runs the world to `end`, stopping at each scheduled action on the way to carry it out.
    func run(_ world: TrialWorld, until end: Instant, measurements: MeasurementCollector) {
        while let action = pendingActions.first, Instant(nanoseconds: action.timeMicros * 1_000) <= end {
            pendingActions.removeFirst()
            let at = Instant(nanoseconds: action.timeMicros * 1_000)
            if at > world.now { world.run(until: at) }
            perform(action, control: world.engine, now: world.now, measurements: measurements)
            world.wakeAll()
        }
        world.run(until: end)
    }

    /// Removes and returns the actions due by `now` (live mode carries them out in real time).
    func takeActions(dueBy now: Instant) -> [ScheduledAction] {
        var due: [ScheduledAction] = []
        while let action = pendingActions.first, Instant(nanoseconds: action.timeMicros * 1_000) <= now {
            due.append(pendingActions.removeFirst())
        }
        return due
    }

    /// Carries out one action through `control` at session time `now`. A failed call changes
    /// nothing the participants see (the engine keeps forwarding), so it is not fatal.
    func perform(_ action: ScheduledAction, control: any SessionControl, now: Instant, measurements: MeasurementCollector) {
        switch action.kind {
        case .pauseProducer(let id, let keys):
            try? control.pauseProducer(id)
            for key in keys { measurements.streamInactive(stream: key) }
        case .resumeProducer(let id):
            try? control.resumeProducer(id, now: now)
        case .pauseConsumer(let id):
            try? control.pauseConsumer(id)
        case .replaceSource(let id, let publisher, let tracks, let keys):
            replaceSource(id, publisher: publisher, tracks: tracks, control: control, now: now) { switchedAt in
                measurements.sourceReplaced(streams: keys, at: switchedAt)
            }
        }
    }

    /// Draws new SSRCs for the stream's encodings, has the engine bind them to the producer, then
    /// (once it has, `switched` is told when) switches the publisher and the session recorder
    /// over. The generator is seeded from the old SSRC and the number of switches so far, so a
    /// trial stays reproducible from its seed.
    private func replaceSource(_ id: ProducerID, publisher index: Int, tracks: [String], control: any SessionControl, now: Instant,
                               switched: @escaping (Instant) -> Void) {
        guard index < publishers.count, let publisher = publishers[index] else { return }
        let indices = publisher.encodingIndices(playing: tracks)
        guard let first = indices.first else { return }
        let old = indices.map { (publisher.encodings[$0].ssrc, publisher.encodings[$0].rtxSSRC) }
        deviceSwitches += 1
        let random = SeededGenerator(seed: UInt64(publisher.encodings[first].ssrc) << 32 | UInt64(deviceSwitches))
        // The old device stops now; the new one starts once the engine knows its SSRCs (at once
        // in simulated mode, after the server's answer in live mode).
        publisher.awaitSourceReplacement(indices, true)
        attemptSourceReplacement(id, publisher: publisher, indices: indices, old: old, random: random, attemptsLeft: 8,
                                 control: control, now: now, switched: switched)
    }

    /// One attempt of `replaceSource`: a new SSRC that happens to be in use on the transport is
    /// refused, and the next attempt draws again.
    private func attemptSourceReplacement(_ id: ProducerID, publisher: RecordedPublisher, indices: [Int], old: [(UInt32, UInt32?)],
                                          random: SeededGenerator, attemptsLeft: Int, control: any SessionControl, now: Instant,
                                          switched: @escaping (Instant) -> Void) {
        guard attemptsLeft > 0 else {
            publisher.awaitSourceReplacement(indices, false)  // the old device carries on
            return
        }
        var random = random
        let encodings = old.map { _, rtx in
            ProducerEncoding(ssrc: UInt32(truncatingIfNeeded: random.next()),
                             rtxSSRC: rtx == nil ? nil : UInt32(truncatingIfNeeded: random.next()))
        }
        control.replaceProducerSource(id, encodings: encodings, now: now) { [self] outcome in
            switch outcome {
            case .bound(let at):
                publisher.replaceSource(indices, with: encodings, timestampOffset: UInt32(truncatingIfNeeded: random.next()), random: &random)
                for ((oldSSRC, _), encoding) in zip(old, encodings) {
                    if let ssrc = encoding.ssrc { recorder?.sourceReplaced(old: oldSSRC, new: ssrc) }
                }
                switched(at)
            case .refused:
                attemptSourceReplacement(id, publisher: publisher, indices: indices, old: old, random: random,
                                         attemptsLeft: attemptsLeft - 1, control: control, now: now, switched: switched)
            case .failed:
                // Not a refused SSRC: drawing again cannot help; the old device carries on.
                publisher.awaitSourceReplacement(indices, false)
            }
        }
    }
}
