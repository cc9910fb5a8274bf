import Engine

/// What a TCP connection makes of packet loss, as delay: a lost segment is retransmitted and
/// everything behind it waits (in-order delivery, head-of-line blocking). Live trials over TCP
/// (RFC 4571 framing) put it after a lossless `LinkEmulator`, because loss injected in user space
/// in front of a real TCP socket is not loss TCP sees (docs/live-mode.md). Sans-IO and seeded, like
/// the emulator: `arrive` what leaves the emulator, `poll` what the application reads.
///
/// The model (Linux defaults, the RFCs they implement):
/// - each segment is lost with the link's loss model (Bernoulli or Gilbert-Elliott);
/// - fast retransmit (RFC 5681 §3.2): once `duplicateACKThreshold` (3) later segments have
///   arrived, the third one's duplicate ACK takes half a round trip back and the retransmission
///   half a round trip forward, so the segment arrives one `roundTrip` after that third segment;
/// - otherwise the retransmission timer fires (RFC 6298 §2): RTO = max(`minimumRTO`,
///   SRTT + 4·RTTVAR) after the original would have arrived; Linux's floor is 200 ms
///   (`TCP_RTO_MIN`, include/net/tcp.h) where RFC 6298 says 1 s;
/// - a retransmission is lost with the link's mean loss rate; each lost retransmission waits
///   for the timer, doubled every time (RFC 6298 §5.5), up to `maximumRetransmissions`;
/// - nothing is delivered before the segments sent ahead of it (in-order delivery).
/// Not modelled: congestion-window reduction after a loss (RFC 5681 §3.1), so throughput does not
/// drop; SACK/RACK timing refinements (RFC 8985).
public struct TCPRecoveryModel<Payload>: TimeoutDriven {
    public struct Settings: Sendable, Hashable {
        /// Fraction of segments lost, 0...1.
        public var lossRate: Double
        /// Mean loss burst length in segments (nil or 1: Bernoulli).
        public var meanBurstLength: Double?
        /// Round trip of the connection's path (propagation delay there and back).
        public var roundTrip: Duration
        /// Round-trip variation (RFC 6298 RTTVAR), e.g. the path's jitter.
        public var roundTripVariation: Duration
        /// Floor of the retransmission timeout. Default 200 ms (Linux `TCP_RTO_MIN`).
        public var minimumRTO: Duration = .milliseconds(200)
        /// Later segments that trigger fast retransmit. Default 3 (RFC 5681).
        public var duplicateACKThreshold = 3
        /// Retransmissions of one segment before the model gives up waiting for more. Default 15
        /// (Linux `tcp_retries2`).
        public var maximumRetransmissions = 15

        public init(lossRate: Double, meanBurstLength: Double? = nil, roundTrip: Duration, roundTripVariation: Duration = .zero) {
            self.lossRate = lossRate
            self.meanBurstLength = meanBurstLength
            self.roundTrip = roundTrip
            self.roundTripVariation = roundTripVariation
        }

        /// The retransmission timeout: max(minimumRTO, SRTT + 4·RTTVAR) (RFC 6298 §2).
        public var retransmissionTimeout: Duration {
            max(minimumRTO, roundTrip + roundTripVariation * 4)
        }
    }

    /// What the model did so far.
    public struct Counters: Sendable, Hashable {
        /// Segments that arrived.
        public var segments = 0
        /// Segments lost on their first transmission.
        public var lost = 0
        /// Retransmissions, including lost ones.
        public var retransmissions = 0
        /// Segments recovered by fast retransmit (the others waited for the timer).
        public var fastRetransmits = 0
        /// Segments delivered later than they arrived because of a loss ahead of them or their own.
        public var delayed = 0
        /// Total of those delays.
        public var addedDelay = Duration.zero
    }

    private struct Segment {
        var payload: Payload
        var arrivedAt: Instant
        var lost: Bool
        /// For a lost segment: later segments seen (fast retransmit trigger).
        var laterArrivals = 0
        /// When the third later segment arrived.
        var fastTriggerAt: Instant?
        /// Extra wait from lost retransmissions (timer backoff).
        var backoff = Duration.zero
    }

    public let settings: Settings
    public private(set) var counters = Counters()
    private var loss: LossModel
    private var random: SeededGenerator
    private var segments: [Segment] = []
    private var head = 0
    /// Lost segments still waiting for their fast-retransmit trigger (indices into `segments`).
    private var waitingForTrigger: [Int] = []
    private var lastRelease = Instant(nanoseconds: .min)

    public init(settings: Settings, generator: SeededGenerator) {
        self.settings = settings
        loss = LossModel(lossRate: settings.lossRate, meanBurstLength: settings.meanBurstLength)
        random = generator
    }

    /// A segment leaves the (lossless) link at `now`.
    public mutating func arrive(_ payload: Payload, now: Instant) {
        counters.segments += 1
        var still: [Int] = []
        for index in waitingForTrigger {
            segments[index].laterArrivals += 1
            if segments[index].laterArrivals >= settings.duplicateACKThreshold {
                segments[index].fastTriggerAt = now
            } else {
                still.append(index)
            }
        }
        waitingForTrigger = still
        var segment = Segment(payload: payload, arrivedAt: now, lost: loss.nextIsLost(using: &random))
        if segment.lost {
            counters.lost += 1
            // Each retransmission may be lost too; every lost one costs a (doubling) timeout.
            var timeout = settings.retransmissionTimeout
            var attempts = 1
            counters.retransmissions += 1
            while attempts < settings.maximumRetransmissions && random.nextUnit() < loss.stationaryLossRate {
                segment.backoff += timeout
                timeout = timeout * 2
                attempts += 1
                counters.retransmissions += 1
            }
            waitingForTrigger.append(segments.count)
        }
        segments.append(segment)
    }

    /// When the head segment can be read; nil when nothing is waiting.
    public func nextDeadline() -> Instant? {
        guard head < segments.count else { return nil }
        return max(release(of: segments[head]), lastRelease)
    }

    public mutating func handleTimeout(now: Instant) {}

    /// The next segment the application can read at `now`, in order; nil when none.
    public mutating func poll(now: Instant) -> Payload? {
        guard head < segments.count else { return nil }
        let segment = segments[head]
        let due = max(release(of: segment), lastRelease)
        guard due <= now else { return nil }
        if segment.lost, let trigger = segment.fastTriggerAt, trigger + settings.roundTrip < segment.arrivedAt + settings.retransmissionTimeout {
            counters.fastRetransmits += 1
        }
        if due > segment.arrivedAt {
            counters.delayed += 1
            counters.addedDelay += due - segment.arrivedAt
        }
        lastRelease = due
        if waitingForTrigger.first == head { waitingForTrigger.removeFirst() }
        head += 1
        if head == segments.count || head >= 1_024 {
            segments.removeFirst(head)
            waitingForTrigger = waitingForTrigger.map { $0 - head }
            head = 0
        }
        return segment.payload
    }

    /// Segments arrived and not yet read.
    public var queued: Int { segments.count - head }

    private func release(of segment: Segment) -> Instant {
        guard segment.lost else { return segment.arrivedAt }
        var first = segment.arrivedAt + settings.retransmissionTimeout
        if let trigger = segment.fastTriggerAt { first = min(first, trigger + settings.roundTrip) }
        return first + segment.backoff
    }
}
