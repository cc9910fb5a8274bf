/// What `WorkloadSynthesizer` should produce.
public struct SynthesisSpec: Codable, Sendable, Hashable {
    /// The shape of the session.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// Every participant publishes audio and a simulcast camera; everyone receives everyone.
        case meeting
        /// Participant 0 presents (audio + camera); everyone else is a viewer that publishes nothing.
        case webinar
        /// Participant 0 shares a screen and talks; the others publish audio only.
        case screen
        /// Audio only, every participant.
        case audio
    }

    /// Which device profiles participants use.
    public enum DeviceMix: String, Codable, Sendable, Hashable, CaseIterable {
        case desktop, mobile
        /// Participant 0 on desktop, the others desktop or mobile with equal odds (seeded).
        case mixed
    }

    /// Camera codec: VP8 simulcast (L1T3 per encoding) or one VP9 SVC stream (L3T3 desktop, L2T3 mobile).
    public enum VideoCodec: String, Codable, Sendable, Hashable, CaseIterable { case vp8, vp9 }

    public var participants: Int
    public var kind: Kind
    public var device: DeviceMix
    /// Session length, microseconds.
    public var durationMicros: Int64
    public var seed: UInt64
    /// At most this many distinct sources are encoded per source type and device profile; more
    /// participants reuse them with different time shifts (default 3).
    public var maxDistinctSources: Int
    /// A key frame every this many seconds on every video encoding, 0 for only the first
    /// (default 10: a replay can answer a PLI with the next one).
    public var keyFrameIntervalSeconds: Int
    /// Participants join spread over this many microseconds from the start (default: a
    /// third of the duration, at most 3 s); participant 0 joins at 0.
    public var joinSpreadMicros: Int64?
    /// Camera codec (default VP8 simulcast). Screen share is always VP8.
    public var videoCodec: VideoCodec
    /// When set, participant 1 switches capture device at this session time (µs): a
    /// `deviceSwitch` event on its camera, or on its microphone when it has no camera.
    public var deviceSwitchMicros: Int64?

    public init(participants: Int, kind: Kind, device: DeviceMix = .desktop, durationMicros: Int64 = 30_000_000,
                seed: UInt64 = 1, maxDistinctSources: Int = 3, keyFrameIntervalSeconds: Int = 10, joinSpreadMicros: Int64? = nil,
                videoCodec: VideoCodec = .vp8, deviceSwitchMicros: Int64? = nil) {
        self.videoCodec = videoCodec
        self.deviceSwitchMicros = deviceSwitchMicros
        self.participants = participants
        self.kind = kind
        self.device = device
        self.durationMicros = durationMicros
        self.seed = seed
        self.maxDistinctSources = maxDistinctSources
        self.keyFrameIntervalSeconds = keyFrameIntervalSeconds
        self.joinSpreadMicros = joinSpreadMicros
    }

    /// Checks the numbers; the message says what to change.
    public func validate() throws(WorkloadError) {
        guard (1...1000).contains(participants) else { throw WorkloadError(.usage, path: "spec", "participants must be 1...1000, got \(participants)") }
        guard (500_000...3_600_000_000).contains(durationMicros) else {
            throw WorkloadError(.usage, path: "spec", "duration must be 0.5 s ... 1 h, got \(Double(durationMicros) / 1e6) s")
        }
        guard maxDistinctSources >= 1 else { throw WorkloadError(.usage, path: "spec", "maxDistinctSources must be at least 1") }
        guard keyFrameIntervalSeconds >= 0 else { throw WorkloadError(.usage, path: "spec", "keyFrameIntervalSeconds must not be negative") }
        if let deviceSwitchMicros, !(0 < deviceSwitchMicros && deviceSwitchMicros < durationMicros) {
            throw WorkloadError(.usage, path: "spec", "the device switch (\(Double(deviceSwitchMicros) / 1e6) s) must be inside the session (0 ... \(Double(durationMicros) / 1e6) s)")
        }
    }
}
