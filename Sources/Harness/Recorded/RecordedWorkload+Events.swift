import Engine
import Media

/// The manifest's events as a signalling server would carry them out. The publishers already
/// send nothing while muted or after leaving (`RecordedEncodingSender.silent`); here the engine
/// hears about it too, as mediasoup's `producer.pause()`/`resume()` and `consumer.pause()`:
///
/// - `mute` pauses the stream's producer, `unmute` resumes it (the engine then asks for a key
///   frame), and `screenShareStop` pauses it for good;
/// - `leave` pauses the participant's producers and the consumers it receives on.
///
/// Subscribers are told their stream went inactive on purpose, so the gap is a pause, not a
/// freeze (libwebrtc's `VideoQualityObserver` does the same). `join` needs no action: producers
/// and consumers exist from the start and nothing flows before it. `deviceSwitch` and
/// `screenShareStart` change nothing the engine sees.
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
        }

        var timeMicros: Int64
        var kind: Kind
    }

    func scheduleEvents(producers: [String: ProducerID], consumed: [ConsumedStream]) {
        func producer(_ participant: String, _ stream: String) -> ProducerID? { producers["\(participant)\u{0}\(stream)"] }
        func pause(_ id: ProducerID, at time: Int64) -> ScheduledAction {
            let keys = consumed.filter { $0.producer == id && $0.isVideo }.map(\.key)
            return ScheduledAction(timeMicros: time, kind: .pauseProducer(id, inactiveKeys: keys))
        }
        var actions: [ScheduledAction] = []
        for event in manifest.events {
            let owner = manifest.participant(event.participant)
            switch event.kind {
            case .mute, .screenShareStop:
                if let stream = event.stream, let id = producer(event.participant, stream) { actions.append(pause(id, at: event.timeMicros)) }
            case .unmute:
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
            case .join, .deviceSwitch, .screenShareStart:
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
        }
    }
}
