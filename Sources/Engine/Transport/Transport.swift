/// A transport inside the engine: one local endpoint, one remote endpoint (learned from the first
/// datagram when not given, like mediasoup's `comedia`), and the producers and consumers on it.
///
/// This is the plain, unencrypted transport of the core; secure transports (ICE-lite, DTLS-SRTP)
/// wrap the same object and hand it decrypted packets.
final class Transport {
    /// What an incoming SSRC belongs to.
    struct IncomingStream {
        /// Without reference counting: `closeProducer` removes these entries with the producer.
        unowned(unsafe) let producer: Producer
        /// The producer's stream (one of `producer.streams`, which are fixed for its life), held
        /// the same way.
        unowned(unsafe) let stream: Producer.Stream
        let isRTX: Bool

        /// The stream's index in `producer.streams`.
        var streamIndex: Int { stream.index }

        init(producer: Producer, stream: Producer.Stream, isRTX: Bool) {
            self.producer = producer
            self.stream = stream
            self.isRTX = isRTX
        }

        /// The entry for `producer.streams[streamIndex]`.
        init(producer: Producer, streamIndex: Int, isRTX: Bool) {
            self.init(producer: producer, stream: producer.streams[streamIndex], isRTX: isRTX)
        }
    }

    let id: TransportID
    let local: Endpoint
    var remote: Endpoint?
    /// Closed by `Engine.closeTransport`: unknown to the control API, receives and sends nothing.
    var isClosed = false
    var incoming: [UInt32: IncomingStream] = [:] { didSet { lastIncoming = nil } }
    /// The last SSRC looked up in `incoming` and what it belongs to; forgotten whenever
    /// `incoming` changes.
    private var lastIncoming: (ssrc: UInt32, stream: IncomingStream)?

    /// What `ssrc` belongs to: `incoming[ssrc]`, answered without hashing when the SSRC is the
    /// one of the previous lookup (consecutive packets mostly belong to one stream).
    @inline(__always)
    func incomingStream(ssrc: UInt32) -> IncomingStream? {
        if let last = lastIncoming, last.ssrc == ssrc { return last.stream }
        guard let stream = incoming[ssrc] else { return nil }
        lastIncoming = (ssrc, stream)
        return stream
    }
    var consumersBySSRC: [UInt32: Consumer] = [:]
    var consumers: [Consumer] = []
    var producers: [Producer] = []
    /// Bitrate the allocator may spend on this transport's consumers (the estimator's target).
    var availableOutgoingBitrate: Bitrate
    /// The estimate the allocator last ran with.
    var allocatedWithBitrate: Bitrate

    // Congestion control (Sources/Engine/Congestion, docs/congestion-control.md).
    /// Send side: estimator and send history of what this transport sends.
    var estimator: SendSideBandwidthEstimator
    /// Next transport-wide sequence number stamped on an outgoing packet.
    var nextTransportSequence: UInt16 = 1
    /// Transport-cc feedback has been received (REMB is then ignored).
    var hasTransportFeedback = false
    /// The remote side stamps transport-wide sequence numbers (it gets transport-cc feedback).
    var receivesTransportWideCC = false
    /// Receive side: transport-cc feedback about what the publishers send on this transport.
    var feedbackGenerator: TransportFeedbackGenerator {
        didSet {
            // Most packets only add an arrival: the deadline (all the engine reads) stays.
            guard feedbackGenerator.nextDeadline() != reportedFeedbackDeadline else { return }
            reportedFeedbackDeadline = feedbackGenerator.nextDeadline()
            congestionDeadlineChanged()
        }
    }
    /// The feedback deadline when it last changed.
    private var reportedFeedbackDeadline: Instant?
    /// Receive side: abs-send-time estimate for REMB (the fallback path).
    var remoteEstimator = RemoteBitrateEstimator()
    var nextREMBAt: Instant?
    var lastREMBBitrate: Bitrate?
    /// The probe cluster being sent, if any.
    var probe: ProbeSendState? { didSet { congestionDeadlineChanged() } }
    /// Paces media (nil with `pacingFactor` 0).
    /// (`refreshedCongestionDeadline()` reads it only while packets wait, so changes without
    /// waiting packets — every forwarded copy's `sent` — do not make the deadline stale.)
    var pacer: LeakyBucketPacer? {
        get { pacerState }
        set {
            pacerState = newValue
            if pacedCount > 0 { congestionDeadlineChanged() }
        }
    }
    /// The pacer's storage: `pacer` reports its changes, `mayForwardNow` writes it directly.
    private var pacerState: LeakyBucketPacer?

    /// Whether a forwarded copy of `bytes` may leave at `now` without waiting: no packet waits for
    /// the pacer and the pacer (if any) allows it, in which case the pacer accounts for it. (With
    /// no packet waiting the congestion deadline does not read the pacer, so nothing is marked
    /// stale, and the pacer is updated in place, without the observed property's accessors.)
    @inline(__always)
    func mayForwardNow(bytes: Int, now: Instant) -> Bool {
        guard pacedCount == 0 else { return false }
        guard pacerState != nil else { return true }
        return pacerState!.sendIfAllowed(bytes: bytes, now: now)
    }
    /// Rewritten packets waiting for the pacer: pool slots in send order (a reused ring).
    /// (The deadline reads only the oldest waiting packet and whether any waits: a packet queued
    /// behind others changes neither, and whatever drops the oldest also moves `pacedHead`.)
    var pacedQueue: [(slot: Int32, enqueuedAt: Instant)] = [] { didSet { if pacedCount <= 1 { congestionDeadlineChanged() } } }
    var pacedHead = 0 { didSet { congestionDeadlineChanged() } }

    /// The engine's list of transports whose congestion deadline it must recompute. Every
    /// property `refreshedCongestionDeadline()` reads reports its changes here through a `didSet`
    /// observer (which lets mutations happen in place).
    private let staleDeadlines: StaleList
    private var deadlineIsStale = false

    private func congestionDeadlineChanged() {
        guard !deadlineIsStale else { return }
        deadlineIsStale = true
        staleDeadlines.add(id.rawValue)
    }

    /// This transport's part of the engine's congestion-control deadline: feedback to its
    /// publishers, its next probe packet, its pacer. Called by the engine when stale.
    func refreshedCongestionDeadline() -> Instant? {
        deadlineIsStale = false
        var earliest = feedbackGenerator.nextDeadline()
        if let next = probe?.nextPacketAt, earliest.map({ next < $0 }) ?? true { earliest = next }
        if pacedCount > 0 {
            let oldest = pacedQueue[pacedHead].enqueuedAt
            let overdue = oldest + (pacer?.maxQueueDelay ?? .zero)
            let next = min(pacer?.nextSendTime() ?? oldest, overdue)
            if earliest.map({ next < $0 }) ?? true { earliest = next }
        }
        return earliest
    }

    init(id: TransportID, local: Endpoint, remote: Endpoint?, initialOutgoingBitrate: Bitrate,
         minOutgoingBitrate: Bitrate, maxOutgoingBitrate: Bitrate, congestion: CongestionSettings, staleDeadlines: StaleList) {
        self.id = id
        self.staleDeadlines = staleDeadlines
        self.local = local
        self.remote = remote
        availableOutgoingBitrate = initialOutgoingBitrate
        allocatedWithBitrate = initialOutgoingBitrate
        estimator = SendSideBandwidthEstimator(initial: initialOutgoingBitrate, min: minOutgoingBitrate,
                                               max: maxOutgoingBitrate, settings: congestion)
        feedbackGenerator = TransportFeedbackGenerator(interval: .milliseconds(Int64(congestion.feedbackInterval)))
        if congestion.pacingFactor > 0 { pacerState = LeakyBucketPacer(rate: initialOutgoingBitrate * congestion.pacingFactor) }
        pacedQueue.reserveCapacity(256)
        congestionDeadlineChanged()
    }

    /// Packets waiting in the pacer.
    var pacedCount: Int { pacedQueue.count - pacedHead }
}

/// Progress of a probe cluster a transport is sending.
struct ProbeSendState {
    var cluster: ProbeCluster
    var startedAt: Instant
    var bytesSent = 0
    var packetsSent = 0
    var nextPacketAt: Instant
    /// Padding bytes per probe packet (RTP padding is at most 255 bytes).
    static let paddingBytes = 255
}
