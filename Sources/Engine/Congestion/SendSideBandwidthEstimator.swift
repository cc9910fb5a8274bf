import RTP

/// The send-side bandwidth estimator of one transport (a GCC-style controller after
/// draft-ietf-rmcat-gcc-02 and libwebrtc's `GoogCcNetworkController`), sans-IO:
///
/// - `packetSent` records every packet stamped with a transport-wide sequence number;
/// - `handleFeedback` matches transport-cc feedback with the send history, runs the delay-based
///   path (inter-arrival groups → trendline → overuse detector → AIMD), the acknowledged bitrate,
///   probe results and the loss-based controller, and returns the new target;
/// - `takeProbeCluster` hands out probe clusters the transport should send.
///
/// The target is `min(delay-based, loss-based)` within the transport's bounds.
public struct SendSideBandwidthEstimator: Sendable {
    public let minBitrate: Bitrate
    public let maxBitrate: Bitrate
    public private(set) var history = SendHistory()
    private var interArrival = InterArrival()
    private var trendline = TrendlineEstimator()
    private var detector = OveruseDetector()
    private var rateControl: AimdRateControl
    private var lossController: LossBasedController
    private var acknowledged = AcknowledgedBitrateEstimator()
    private var probeEstimator = ProbeBitrateEstimator()
    private var baseDelay = BaseDelayTracker()
    public private(set) var probes: ProbeController
    public private(set) var applicationLimited = ApplicationLimitedDetector()
    private var unwrapper = SequenceNumberUnwrapper()
    /// The received packets of the feedback being handled, in arrival order (reused, so a
    /// message allocates nothing once it has grown).
    private var received: [PacketResult] = []
    private var highestAcknowledged: Int64?
    /// Smoothed round-trip time (send to feedback of the newest packet; includes the feedback
    /// interval).
    public private(set) var rtt: Duration = .milliseconds(200)
    /// The current target.
    public private(set) var target: Bitrate
    /// The last detector state.
    public private(set) var usage = BandwidthUsage.normal
    /// The last probe result and how many feedback messages carried one.
    public private(set) var lastProbeResult: Bitrate?
    public private(set) var probeResultCount = 0

    /// - Parameters:
    ///   - initial: `initialAvailableOutgoingBitrate`; `min`/`max`: the transport's bounds.
    public init(initial: Bitrate, min minBitrate: Bitrate, max maxBitrate: Bitrate, settings: CongestionSettings) {
        self.minBitrate = minBitrate
        self.maxBitrate = maxBitrate
        let start = Swift.min(Swift.max(initial, minBitrate), maxBitrate)
        rateControl = AimdRateControl(initial: start, min: minBitrate, max: maxBitrate)
        lossController = LossBasedController(initial: start)
        probes = ProbeController(enabled: settings.probing, interval: .milliseconds(Int64(settings.probeInterval)), maxBitrate: maxBitrate)
        target = start
    }

    /// The acknowledged throughput, once measured.
    public var acknowledgedBitrate: Bitrate? { acknowledged.bitrate }

    /// Records a packet sent with transport-wide sequence number `sequence`.
    public mutating func packetSent(sequence: UInt16, bytes: Int, probeCluster: Int? = nil, now: Instant) {
        history.record(sequence: sequence, sentAt: now, bytes: bytes, probeCluster: probeCluster)
        applicationLimited.update(sentBytes: probeCluster == nil ? bytes : 0, estimate: target, now: now)
        probes.start(estimate: target, now: now)
    }

    /// Tells the prober how much the media would use if allowed.
    public mutating func setDesiredBitrate(_ bitrate: Bitrate) {
        probes.desiredBitrate = bitrate
    }

    /// Periodic work (call at least every few hundred ms): application-limited probing.
    public mutating func process(now: Instant) {
        applicationLimited.update(sentBytes: 0, estimate: target, now: now)
        probes.process(estimate: target, applicationLimited: applicationLimited.isLimited, now: now)
    }

    /// The next probe cluster to send, if any.
    public mutating func takeProbeCluster() -> ProbeCluster? {
        guard let cluster = probes.takeCluster() else { return nil }
        probeEstimator.register(cluster)
        return cluster
    }

    /// Handles one transport-cc feedback message received at `now`; returns the new target.
    @discardableResult
    public mutating func handleFeedback(_ feedback: RTCPTransportFeedback, now: Instant) -> Bitrate {
        // One pass over the message: absolute arrival times (the reference time plus the deltas
        // of the received packets so far, as `arrivalTimesMicroseconds` gives them) matched with
        // the send history; only received packets are kept, in a reused buffer.
        received.removeAll(keepingCapacity: true)
        var lost = 0
        var newestSend: Instant?
        var lastMatched: Int64?
        // Whether `received` is ordered by arrival time, then sequence number (checked as it
        // grows; feedback nearly always lists packets in that order).
        var inArrivalOrder = true
        var arrivalMicroseconds = feedback.referenceTimeMicroseconds
        for packet in feedback.packets {
            let delta = packet.arrivalDeltaMicroseconds
            if let delta { arrivalMicroseconds += delta }
            let extended = unwrapper.unwrap(packet.sequenceNumber)
            if let highestAcknowledged, extended <= highestAcknowledged { continue }
            guard let sent = history.entry(sequence: packet.sequenceNumber) else { continue }
            lastMatched = extended
            guard delta != nil else {
                lost += 1
                continue
            }
            newestSend = Swift.max(newestSend ?? sent.sentAt, sent.sentAt)
            let arrivedAt = Instant(nanoseconds: arrivalMicroseconds * 1_000)
            if inArrivalOrder, let previous = received.last,
               arrivedAt < previous.arrivedAt! || (arrivedAt == previous.arrivedAt! && extended < previous.sequence) {
                inArrivalOrder = false
            }
            received.append(PacketResult(sequence: extended, sentAt: sent.sentAt, arrivedAt: arrivedAt, bytes: sent.bytes,
                                         probeCluster: sent.probeCluster))
        }
        guard let lastMatched else { return target }
        highestAcknowledged = Swift.max(highestAcknowledged ?? lastMatched, lastMatched)
        if let newestSend {
            let sample = now - newestSend
            rtt = .nanoseconds((rtt.nanoseconds * 7 + sample.nanoseconds) / 8)
            rateControl.rtt = rtt
        }
        // By arrival (then sequence); feedback usually lists packets in that order already, and
        // the order is total (sequence numbers are unique), so a sorted list is left as it is.
        if !inArrivalOrder {
            received.sort { ($0.arrivedAt!, $0.sequence) < ($1.arrivedAt!, $1.sequence) }
        }

        // The acknowledged bitrate (its samples are recorded in the loop below, which goes over
        // the packets in the same order; nothing there reads it) and the delay-based path.
        var probeResult: Bitrate?
        var latestArrival: Instant?
        let previousUsage = usage
        for packet in received {
            let arrivedAt = packet.arrivedAt!
            acknowledged.record(bytes: packet.bytes, arrival: arrivedAt)
            latestArrival = Swift.max(latestArrival ?? arrivedAt, arrivedAt)
            baseDelay.add(sentAt: packet.sentAt, arrivedAt: arrivedAt)
            // Only probe packets reach the probe estimator (it ignores the others), and only
            // they read the base delay it is given.
            if packet.probeCluster != nil {
                probeEstimator.baseDelay = baseDelay.value
                if let result = probeEstimator.add(packet) { probeResult = result }
            }
            guard let deltas = interArrival.add(sentAt: packet.sentAt, arrivedAt: arrivedAt, bytes: packet.bytes) else { continue }
            let trend = trendline.update(deltas: deltas, arrivedAt: arrivedAt)
            usage = detector.detect(trend: trend, sendDelta: deltas.send, deltaCount: trendline.deltaCount, now: arrivedAt)
        }
        if let latestArrival { acknowledged.refresh(latest: latestArrival) }
        if let probeResult, usage != .overusing, probeResult > rateControl.bitrate {
            rateControl.set(probeResult, now: now)
            lossController.clamp(min: probeResult, max: maxBitrate)
        } else {
            rateControl.update(usage, throughput: acknowledged.bitrate, now: now)
        }
        if let probeResult {
            probes.probeResult(probeResult, now: now)
            lastProbeResult = probeResult
            probeResultCount += 1
        }

        // Loss-based path.
        lossController.update(received: received.count, lost: lost, delayBased: rateControl.bitrate, rtt: rtt, now: now)
        let previousTarget = target
        target = Swift.min(Swift.max(Swift.min(rateControl.bitrate, lossController.bitrate), minBitrate), maxBitrate)
        probes.estimateChanged(from: previousTarget, to: target, now: now)
        if previousUsage != .normal, usage == .normal {
            probes.recoveredFromOveruse(estimate: target, applicationLimited: applicationLimited.isLimited, now: now)
        }
        return target
    }
}
