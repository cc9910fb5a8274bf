/// Send-side congestion control and transport-wide feedback constants (sfulab's; mediasoup
/// hard-codes libwebrtc's values, which are the defaults here). See docs/congestion-control.md.
///
/// The bitrate bounds themselves keep mediasoup's names in `webRtcTransport`
/// (`initialAvailableOutgoingBitrate`, `minOutgoingBitrate`, `maxOutgoingBitrate`,
/// `maxIncomingBitrate`).
public struct CongestionSettings: Codable, Sendable, Hashable {
    /// Run the send-side estimator on transport-cc feedback; false keeps every transport at
    /// `initialAvailableOutgoingBitrate` (mediasoup without BWE). Default true.
    public var enabled: Bool = true
    /// Interval between transport-cc feedback messages the engine sends to publishers and the
    /// simulated subscribers send to the engine, ms. Default 100 (libwebrtc's default).
    public var feedbackInterval: Int = 100
    /// Send probe clusters (RTP padding on the RTX stream) to discover capacity above what the
    /// media uses: at start, after a large increase of the allocation, and periodically while
    /// application-limited. Default true.
    public var probing: Bool = true
    /// Interval between probes while application-limited, ms. Default 5000.
    public var probeInterval: Int = 5_000
    /// Pacing rate as a multiple of the estimate (libwebrtc `kDefaultPaceMultiplier`). Default 2.5.
    public var pacingFactor: Double = 2.5
    /// Interval between REMB messages to publishers, ms (sent sooner on a 3 % drop). Default 1000.
    public var rembInterval: Int = 1_000
    /// Relative change of the estimate that re-runs the allocator at once (otherwise the allocator
    /// runs on its 1 s timer). Default 0.05.
    public var reallocationThreshold: Double = 0.05

    public init() {}
}
