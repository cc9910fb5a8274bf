/// The engine's recovery and feedback constants. mediasoup hard-codes these; sfulab exposes them
/// as knobs with mediasoup's values as defaults so that sweeps can move them.
public struct FeedbackSettings: Codable, Sendable, Hashable {
    /// Receive-side NACK generation.
    public var nack = NackSettings()
    /// Send-side retransmission buffer.
    public var retransmission = RetransmissionSettings()
    /// Key-frame requests (PLI/FIR).
    public var keyFrame = KeyFrameSettings()
    /// RTCP sender/receiver reports.
    public var rtcp = RTCPSettings()
    /// Bitrate allocation across a transport's consumers.
    public var allocation = AllocationSettings()
    /// Transport-wide congestion control: feedback, estimator, probing, pacing.
    public var congestion = CongestionSettings()

    public init() {}
}

/// NACK generator constants (mediasoup `NackGenerator`).
public struct NackSettings: Codable, Sendable, Hashable {
    /// Generate NACKs for lost packets. Default true.
    public var enabled: Bool = true
    /// Packets older than this many sequence numbers are no longer requested. Default 10000.
    public var maxPacketAge: Int = 10_000
    /// Most sequence numbers tracked; overflow asks for a key frame instead. Default 1000.
    public var maxNackPackets: Int = 1_000
    /// Most requests for one packet. Default 10.
    public var maxRetries: Int = 10
    /// Timer period, ms. Default 40.
    public var timerInterval: Int = 40
    /// Round-trip time assumed before one is measured, ms. Default 100.
    public var defaultRtt: Int = 100

    public init() {}
}

/// Retransmission buffer constants (mediasoup `RtpStreamSend`).
public struct RetransmissionSettings: Codable, Sendable, Hashable {
    /// Most packets kept per stream. Default 2500.
    public var maxItems: Int = 2_500
    /// Oldest video packet still retransmitted, ms. Default 2000.
    public var maxVideoDelay: Int = 2_000
    /// Oldest audio packet still retransmitted, ms. Default 1000.
    public var maxAudioDelay: Int = 1_000

    public init() {}
}

/// Key-frame request constants (mediasoup `KeyFrameRequestManager`).
public struct KeyFrameSettings: Codable, Sendable, Hashable {
    /// A pending key-frame request is sent again after this many ms without a key frame. Default 1000.
    public var retransmissionWait: Int = 1_000
    /// Use FIR instead of PLI towards publishers. Default false.
    public var useFir: Bool = false

    public init() {}
}

/// RTCP report constants (mediasoup `RTC::RTCP`).
public struct RTCPSettings: Codable, Sendable, Hashable {
    /// Largest interval between video reports, ms. Default 1000.
    public var maxVideoInterval: Int = 1_000
    /// Largest interval between audio reports, ms. Default 5000.
    public var maxAudioInterval: Int = 5_000

    public init() {}
}

/// Bitrate allocator constants (sfulab's; mediasoup has no such knobs).
public struct AllocationSettings: Codable, Sendable, Hashable {
    /// Share of a layer's measured cost that must fit before a consumer moves above its current
    /// allocation. Default 1.2 (20 % headroom).
    public var upgradeHeadroom: Double = 1.2
    /// After a consumer was moved down, ms before it may move up again. Default 5000.
    public var upgradeHold: Int = 5_000

    public init() {}
}
