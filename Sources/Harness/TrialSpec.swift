import Engine

/// Everything that determines one trial. Same spec and seed: byte-identical result.
public struct TrialSpec: Codable, Sendable, Hashable {
    public var profile: Profile
    public var workload: WorkloadSpec
    public var network: NetworkScenario
    /// Simulated duration.
    public var duration: Duration
    public var seed: UInt64

    public init(profile: Profile, workload: WorkloadSpec, network: NetworkScenario, duration: Duration, seed: UInt64) {
        self.profile = profile
        self.workload = workload
        self.network = network
        self.duration = duration
        self.seed = seed
    }
}

/// Which media the participants send: a synthesized meeting, or a recorded workload file.
public struct WorkloadSpec: Codable, Sendable, Hashable {
    /// Path of a workload file; when absent, a meeting is synthesized from the fields below.
    public var file: String?
    /// Participants in a synthesized meeting. Default 5.
    public var participants: Int = 5
    /// `meeting` (everyone sends audio+video), `webinar` (one presenter), `screen`, `audio`.
    public var kind: String = "meeting"
    /// `desktop`, `mobile` or `mixed`.
    public var device: String = "desktop"

    public init(file: String? = nil, participants: Int = 5, kind: String = "meeting", device: String = "desktop") {
        self.file = file
        self.participants = participants
        self.kind = kind
        self.device = device
    }
}
