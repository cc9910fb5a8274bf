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
        let streamIndex: Int
        let isRTX: Bool
    }

    let id: TransportID
    let local: Endpoint
    var remote: Endpoint?
    var incoming: [UInt32: IncomingStream] = [:]
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
    var feedbackGenerator: TransportFeedbackGenerator
    /// Receive side: abs-send-time estimate for REMB (the fallback path).
    var remoteEstimator = RemoteBitrateEstimator()
    var nextREMBAt: Instant?
    var lastREMBBitrate: Bitrate?
    /// The probe cluster being sent, if any.
    var probe: ProbeSendState?
    /// Paces media (nil with `pacingFactor` 0).
    var pacer: LeakyBucketPacer?
    /// Rewritten packets waiting for the pacer: pool slots in send order (a reused ring).
    var pacedQueue: [(slot: Int32, enqueuedAt: Instant)] = []
    var pacedHead = 0

    init(id: TransportID, local: Endpoint, remote: Endpoint?, initialOutgoingBitrate: Bitrate,
         minOutgoingBitrate: Bitrate, maxOutgoingBitrate: Bitrate, congestion: CongestionSettings) {
        self.id = id
        self.local = local
        self.remote = remote
        availableOutgoingBitrate = initialOutgoingBitrate
        allocatedWithBitrate = initialOutgoingBitrate
        estimator = SendSideBandwidthEstimator(initial: initialOutgoingBitrate, min: minOutgoingBitrate,
                                               max: maxOutgoingBitrate, settings: congestion)
        feedbackGenerator = TransportFeedbackGenerator(interval: .milliseconds(Int64(congestion.feedbackInterval)))
        if congestion.pacingFactor > 0 { pacer = LeakyBucketPacer(rate: initialOutgoingBitrate * congestion.pacingFactor) }
        pacedQueue.reserveCapacity(256)
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
