import Engine

/// An emulated network: one uplink and one downlink profile per participant (the same for all
/// unless `participants` overrides some), optionally changing over time.
///
/// Experiments name a preset (`NetworkScenario.preset(named:)`) or spell one out inline.
public struct NetworkScenario: Codable, Sendable, Hashable {
    /// Name used in reports.
    public var name: String
    /// Participant to engine.
    public var uplink: LinkProfile
    /// Engine to participant.
    public var downlink: LinkProfile
    /// Changes applied at given times (seconds from the start of the trial).
    public var schedule: [ScheduledChange]?
    /// Per-participant overrides, by participant index or device class (`mobile`, `desktop`).
    public var participants: [String: LinkPair]?

    public init(name: String, uplink: LinkProfile, downlink: LinkProfile,
                schedule: [ScheduledChange]? = nil, participants: [String: LinkPair]? = nil) {
        self.name = name
        self.uplink = uplink
        self.downlink = downlink
        self.schedule = schedule
        self.participants = participants
    }
}

/// An uplink and a downlink.
public struct LinkPair: Codable, Sendable, Hashable {
    public var uplink: LinkProfile
    public var downlink: LinkProfile

    public init(uplink: LinkProfile, downlink: LinkProfile) {
        self.uplink = uplink
        self.downlink = downlink
    }
}

/// A change to the links at `at` seconds into the trial.
public struct ScheduledChange: Codable, Sendable, Hashable {
    /// Seconds from the trial start.
    public var at: Double
    public var uplink: LinkProfile?
    public var downlink: LinkProfile?

    public init(at: Double, uplink: LinkProfile? = nil, downlink: LinkProfile? = nil) {
        self.at = at
        self.uplink = uplink
        self.downlink = downlink
    }
}

/// One direction of a link: what the emulator does to every datagram.
public struct LinkProfile: Codable, Sendable, Hashable {
    /// One-way propagation delay, ms. Default 0.
    public var delay: Double = 0
    /// Jitter: standard deviation of a Gaussian delay added per packet, ms. Default 0.
    public var jitter: Double = 0
    /// Whether jitter may reorder packets (false: a packet never overtakes the one before). Default false.
    public var reorder: Bool = false
    /// Fraction of packets lost, 0...1. Default 0.
    public var loss: Double = 0
    /// Mean loss burst length in packets; 1 (or absent) is Bernoulli loss, more is Gilbert-Elliott.
    public var lossBurst: Double?
    /// Fraction of packets duplicated, 0...1. Default 0.
    public var duplication: Double = 0
    /// Bottleneck rate in kbps; unlimited when absent and `trace` is absent.
    public var bandwidth: Double?
    /// Bandwidth trace file (Mahimahi delivery opportunities, or "seconds Mbps" rows); replaces `bandwidth`.
    public var trace: String?
    /// Queue discipline at the bottleneck. Default droptail.
    public var queue: QueueDiscipline = .droptail
    /// Queue limit in bytes (droptail); default 64 KiB when absent.
    public var queueBytes: Int?
    /// Queue limit in ms of sojourn time (droptail by time); none when absent.
    public var queueDelay: Double?

    public init() {}
}

/// Queue discipline at a bottleneck.
public enum QueueDiscipline: String, Codable, Sendable, Hashable, CaseIterable {
    /// Drop arrivals once the queue is full.
    case droptail
    /// Controlled Delay (RFC 8289): drop at the head when sojourn time stays above target.
    case codel
}
