/// Names the dominant speaker among audio producers (mediasoup `ActiveSpeakerObserver`, event
/// `dominantspeaker`), from the ssrc-audio-level header extension (RFC 6464).
///
/// sfulab's rule, after the three time scales of Volfovsky, Cohen & Keshet, "Dominant Speaker
/// Identification for Multipoint Videoconferencing" (IEEE ICSE 2012) — not a port of it: every
/// `interval` each producer gets a speech score, the share of its packets flagged as voice times
/// their mean loudness ((127 − level) / 127). From the last scores come an immediate (last
/// interval), a medium (last 3) and a long (last 10) score. A challenger replaces the dominant
/// speaker when its medium score beats the dominant's by `switchRatio` and at least
/// `minimumActivity`, and its immediate score beats the dominant's too: a short cough does not
/// take the floor, and a speaker who keeps talking does. docs/active-speaker.md.
public final class ActiveSpeakerObserver {
    /// mediasoup `ActiveSpeakerObserverOptions` plus sfulab's thresholds.
    public struct Options: Sendable, Hashable {
        /// Decision interval. Default 300 ms (mediasoup's default).
        public var interval: Duration
        /// Medium score a challenger needs relative to the dominant speaker's. Default 1.5.
        public var switchRatio: Double
        /// Smallest medium score that can take the floor. Default 0.1.
        public var minimumActivity: Double

        public init(interval: Duration = .milliseconds(300), switchRatio: Double = 1.5, minimumActivity: Double = 0.1) {
            self.interval = interval
            self.switchRatio = switchRatio
            self.minimumActivity = minimumActivity
        }
    }

    /// Speech accumulated for one producer during the current interval, and its recent scores.
    struct Speaker {
        var packets = 0
        var voicePackets = 0
        var loudnessSum = 0.0
        var scores: [Double] = []

        mutating func close() {
            let activity = packets > 0 ? Double(voicePackets) / Double(packets) : 0
            let loudness = voicePackets > 0 ? loudnessSum / Double(voicePackets) : 0
            scores.append(activity * loudness)
            if scores.count > ActiveSpeakerObserver.longWindow { scores.removeFirst() }
            packets = 0
            voicePackets = 0
            loudnessSum = 0
        }

        func mean(last count: Int) -> Double {
            let window = scores.suffix(count)
            return window.isEmpty ? 0 : window.reduce(0, +) / Double(count)
        }
    }

    static let mediumWindow = 3
    static let longWindow = 10

    let id: ObserverID
    let options: Options
    private(set) var speakers: [ProducerID: Speaker] = [:]
    private(set) var dominant: ProducerID?
    var nextDecisionAt: Instant?

    init(id: ObserverID, options: Options) {
        self.id = id
        self.options = options
    }

    func add(producer: ProducerID) {
        if speakers[producer] == nil { speakers[producer] = Speaker() }
    }

    func remove(producer: ProducerID) {
        speakers[producer] = nil
        if dominant == producer { dominant = nil }
    }

    /// An audio packet of `producer` with its RFC 6464 level (dBov below overload) and V flag.
    func audioPacket(producer: ProducerID, level: UInt8, voiceActivity: Bool) {
        guard speakers[producer] != nil else { return }
        speakers[producer]!.packets += 1
        if voiceActivity {
            speakers[producer]!.voicePackets += 1
            speakers[producer]!.loudnessSum += Double(127 - min(level, 127)) / 127
        }
    }

    /// Closes the interval; returns the event when the dominant speaker changed.
    func decide() -> EngineEvent? {
        for key in speakers.keys { speakers[key]!.close() }
        let ordered = speakers.sorted { $0.key.rawValue < $1.key.rawValue }
        guard let challenger = ordered.max(by: { $0.value.mean(last: Self.mediumWindow) < $1.value.mean(last: Self.mediumWindow) }),
              challenger.key != dominant else { return nil }
        let medium = challenger.value.mean(last: Self.mediumWindow)
        guard medium >= options.minimumActivity else { return nil }
        if let current = dominant, let incumbent = speakers[current] {
            let beatsMedium = medium > incumbent.mean(last: Self.mediumWindow) * options.switchRatio
            let beatsImmediate = challenger.value.mean(last: 1) > incumbent.mean(last: 1)
            guard beatsMedium && beatsImmediate else { return nil }
        }
        dominant = challenger.key
        return .dominantSpeaker(id, challenger.key)
    }
}
