/// Counters of an ICE agent: what it accepted, what it sent, and every drop by reason.
public struct ICECounters: Hashable, Sendable {
    /// Binding requests that passed every check (lite agent) or success responses that matched
    /// an outstanding check (checker).
    public var accepted = 0
    /// Binding indications received (keepalives; never answered).
    public var indications = 0
    /// Requests accepted although they claimed the controlled role, because their tie-breaker
    /// beat ours (lite agent, RFC 8445 §7.3.1.1).
    public var roleConflictsAccepted = 0
    /// Binding requests sent, retransmissions included (checker).
    public var requestsSent = 0
    /// Retransmissions among ``requestsSent`` (checker).
    public var retransmissions = 0
    /// Error responses sent, by code (lite agent).
    public var errorResponsesSent: [UInt16: Int] = [:]
    /// Dropped or refused messages by reason.
    public var dropped: [ICEDropReason: Int] = [:]

    public init() {}

    /// The count for one drop reason (0 when it never happened).
    public subscript(reason: ICEDropReason) -> Int { dropped[reason, default: 0] }

    /// Every drop, all reasons together.
    public var totalDropped: Int { dropped.values.reduce(0, +) }

    mutating func drop(_ reason: ICEDropReason) { dropped[reason, default: 0] += 1 }
}
