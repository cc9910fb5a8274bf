/// Reports the loudest audio producers every interval (mediasoup `AudioLevelObserver`): the
/// average ssrc-audio-level (RFC 6464) of each producer over the interval, as a volume in dBov,
/// keeping those at or above `threshold`, loudest first, at most `maxEntries`.
public final class AudioLevelObserver {
    /// mediasoup `AudioLevelObserverOptions`.
    public struct Options: Sendable, Hashable {
        /// Most producers reported per interval. Default 1.
        public var maxEntries: Int
        /// Quietest volume reported, dBov (-127...0). Default -80.
        public var threshold: Int
        /// Reporting interval. Default 1000 ms.
        public var interval: Duration

        public init(maxEntries: Int = 1, threshold: Int = -80, interval: Duration = .milliseconds(1_000)) {
            self.maxEntries = maxEntries
            self.threshold = threshold
            self.interval = interval
        }
    }

    let id: ObserverID
    let options: Options
    private(set) var producers: [ProducerID] = []
    var nextReportAt: Instant?
    private var silent = false

    init(id: ObserverID, options: Options) {
        self.id = id
        self.options = options
    }

    func add(producer: ProducerID) {
        if !producers.contains(producer) { producers.append(producer) }
    }

    func remove(producer: ProducerID) {
        producers.removeAll { $0 == producer }
    }

    /// Computes this interval's report from the producers' accumulated levels and resets them.
    func report(levels: [(ProducerID, sum: Int, count: Int)]) -> EngineEvent? {
        var volumes: [AudioVolume] = []
        for (producer, sum, count) in levels where count > 0 {
            let volume = -Int((Double(sum) / Double(count)).rounded())
            if volume >= options.threshold { volumes.append(AudioVolume(producer: producer, volume: volume)) }
        }
        volumes.sort { $0.volume != $1.volume ? $0.volume > $1.volume : $0.producer.rawValue < $1.producer.rawValue }
        if volumes.isEmpty {
            if silent { return nil }
            silent = true
            return .silence(id)
        }
        silent = false
        return .audioLevels(id, Array(volumes.prefix(options.maxEntries)))
    }
}
