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
    /// The received packets of a feedback message that lists them out of arrival order, sorted
    /// (reused, so such a message allocates nothing once it has grown).
    private var received: [PacketResult] = []
    private var highestAcknowledged: Int64?
    /// Takes the general path (match every packet, sort, then process) for every feedback
    /// message, also those the one pass handles; for tests comparing the two.
    var alwaysSortsFeedback = false
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
        // The received packets are matched with the send history (absolute arrival times: the
        // reference time plus the deltas of the received packets so far, as
        // `arrivalTimesMicroseconds` gives them) and handed to the delay-based path, the
        // acknowledged bitrate and the probe estimator in arrival order, then sequence order.
        var pass = FeedbackPass()
        let previousUsage = usage
        if !alwaysSortsFeedback, Self.listsPacketsInArrivalOrder(feedback) {
            matchAndProcessInOneGo(feedback, pass: &pass)
        } else {
            matchThenProcessSorted(feedback, pass: &pass)
        }
        guard let lastMatched = pass.lastMatched else { return target }
        highestAcknowledged = Swift.max(highestAcknowledged ?? lastMatched, lastMatched)
        if let newestSend = pass.newestSend {
            let sample = now - newestSend
            rtt = .nanoseconds((rtt.nanoseconds * 7 + sample.nanoseconds) / 8)
            rateControl.rtt = rtt
        }
        let probeResult = pass.probeResult
        let latestArrival = pass.latestArrival
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
        lossController.update(received: pass.received, lost: pass.lost, delayBased: rateControl.bitrate, rtt: rtt, now: now)
        let previousTarget = target
        target = Swift.min(Swift.max(Swift.min(rateControl.bitrate, lossController.bitrate), minBitrate), maxBitrate)
        probes.estimateChanged(from: previousTarget, to: target, now: now)
        if previousUsage != .normal, usage == .normal {
            probes.recoveredFromOveruse(estimate: target, applicationLimited: applicationLimited.isLimited, now: now)
        }
        return target
    }

    /// What one feedback message's pass gathers: the matching (from the packets as listed) and
    /// the delay-based and probe results (from the received packets in arrival order).
    private struct FeedbackPass {
        var lost = 0
        var received = 0
        var newestSend: Instant?
        var lastMatched: Int64?
        var probeResult: Bitrate?
        var latestArrival: Instant?
    }

    /// Whether the received packets of `feedback` are listed in arrival order, then sequence
    /// order: no receive delta is negative (a message's unwrapped sequence numbers rise by one
    /// per packet, so equal arrival times are in sequence order; leaving packets out keeps the
    /// order). Browsers and the simulated clients nearly always send such messages.
    private static func listsPacketsInArrivalOrder(_ feedback: RTCPTransportFeedback) -> Bool {
        for packet in feedback.packets {
            if let delta = packet.arrivalDeltaMicroseconds, delta < 0 { return false }
        }
        return true
    }

    /// The sent packet `packet` reports, if it is new and still in the history, with its
    /// unwrapped sequence number.
    @inline(__always)
    private mutating func match(_ packet: RTCPTransportFeedbackPacket) -> (extended: Int64, sent: SendHistory.Entry)? {
        let extended = unwrapper.unwrap(packet.sequenceNumber)
        if let highestAcknowledged, extended <= highestAcknowledged { return nil }
        guard let sent = history.entry(sequence: packet.sequenceNumber) else { return nil }
        return (extended, sent)
    }

    /// Matching and processing in one pass over a message listed in arrival order: each received
    /// packet goes to `process` as it is matched, with no list in between. The two halves share
    /// no state, so this is the same as matching all, then processing all.
    private mutating func matchAndProcessInOneGo(_ feedback: RTCPTransportFeedback, pass: inout FeedbackPass) {
        var arrivalMicroseconds = feedback.referenceTimeMicroseconds
        for packet in feedback.packets {
            guard let result = matchReceived(packet, arrivalMicroseconds: &arrivalMicroseconds, pass: &pass) else { continue }
            process(result, pass: &pass)
        }
    }

    /// Matching into `received` (a reused buffer), sorted by arrival then sequence, then
    /// processing: for messages with a negative receive delta.
    private mutating func matchThenProcessSorted(_ feedback: RTCPTransportFeedback, pass: inout FeedbackPass) {
        received.removeAll(keepingCapacity: true)
        var arrivalMicroseconds = feedback.referenceTimeMicroseconds
        for packet in feedback.packets {
            guard let result = matchReceived(packet, arrivalMicroseconds: &arrivalMicroseconds, pass: &pass) else { continue }
            received.append(result)
        }
        // The order is total (sequence numbers are unique).
        received.sort { ($0.arrivedAt!, $0.sequence) < ($1.arrivedAt!, $1.sequence) }
        for packet in received { process(packet, pass: &pass) }
    }

    /// One reported packet, in the order the message lists them: advances the running arrival
    /// time (`arrivalMicroseconds`, the reference time plus the deltas so far), counts it in
    /// `pass` when it matches the send history, and gives its result when it was received.
    @inline(__always)
    private mutating func matchReceived(_ packet: RTCPTransportFeedbackPacket, arrivalMicroseconds: inout Int64,
                                        pass: inout FeedbackPass) -> PacketResult? {
        let delta = packet.arrivalDeltaMicroseconds
        if let delta { arrivalMicroseconds += delta }
        guard let (extended, sent) = match(packet) else { return nil }
        pass.lastMatched = extended
        guard delta != nil else {
            pass.lost += 1
            return nil
        }
        pass.newestSend = Swift.max(pass.newestSend ?? sent.sentAt, sent.sentAt)
        pass.received += 1
        return PacketResult(sequence: extended, sentAt: sent.sentAt, arrivedAt: Instant(nanoseconds: arrivalMicroseconds * 1_000),
                            bytes: sent.bytes, probeCluster: sent.probeCluster)
    }

    /// One received packet, in arrival order: the acknowledged bitrate's sample (its rate is
    /// refreshed once per message), the base delay, the probe estimator and the delay-based path.
    @inline(__always)
    private mutating func process(_ packet: PacketResult, pass: inout FeedbackPass) {
        let arrivedAt = packet.arrivedAt!
        acknowledged.record(bytes: packet.bytes, arrival: arrivedAt)
        pass.latestArrival = Swift.max(pass.latestArrival ?? arrivedAt, arrivedAt)
        baseDelay.add(sentAt: packet.sentAt, arrivedAt: arrivedAt)
        // Only probe packets reach the probe estimator (it ignores the others), and only
        // they read the base delay it is given.
        if packet.probeCluster != nil {
            probeEstimator.baseDelay = baseDelay.value
            if let result = probeEstimator.add(packet) { pass.probeResult = result }
        }
        guard let deltas = interArrival.add(sentAt: packet.sentAt, arrivedAt: arrivedAt, bytes: packet.bytes) else { return }
        let trend = trendline.update(deltas: deltas, arrivedAt: arrivedAt)
        usage = detector.detect(trend: trend, sendDelta: deltas.send, deltaCount: trendline.deltaCount, now: arrivedAt)
    }
}
