/// What the delay-based detector concludes about the path (draft-ietf-rmcat-gcc-02 §5.4).
public enum BandwidthUsage: Sendable, Equatable {
    /// Queuing delay is stable.
    case normal
    /// Queuing delay grows: the send rate is above capacity.
    case overusing
    /// Queuing delay shrinks: a queue is draining.
    case underusing
}
