/// The timers and attributes of an ``ICEControllingChecker``, with the RFCs' defaults.
public struct ICECheckerConfiguration: Hashable, Sendable {
    /// The first retransmission timeout of a connectivity check (RFC 8489 §6.2.1: 500 ms); it
    /// doubles after every retransmission.
    public var initialRTO: Duration = .milliseconds(500)
    /// Rc, the number of requests sent before giving up, first one included (RFC 8489: 7).
    public var maximumRequests = 7
    /// Rm: after the last request, the check fails when `Rm × initialRTO` passes without an
    /// answer (RFC 8489: 16, so a check fails 39.5 s after it started).
    public var lastRequestWaitMultiplier = 16
    /// Tc, the mean interval between consent checks once connected (RFC 7675 §5.1: 5 s).
    public var consentInterval: Duration = .seconds(5)
    /// Each consent interval is drawn uniformly from `consentInterval × (1 ± consentJitter)`
    /// (RFC 7675 §5.1: 0.8–1.2). Clamped to 0–0.9; intervals and timeouts below 1 ms count as 1 ms.
    public var consentJitter = 0.2
    /// Consent is lost when no valid response arrived for this long (RFC 7675 §5.1: 30 s).
    public var consentTimeout: Duration = .seconds(30)
    /// The PRIORITY we announce: a peer-reflexive candidate of component 1 with the highest
    /// local preference, (110 << 24) | (65535 << 8) | 255 (RFC 8445 §5.1.2.1, §7.1.1).
    public var priority: UInt32 = 110 << 24 | 65535 << 8 | 255
    /// Whether the checks carry USE-CANDIDATE (aggressive nomination, as RFC 5245 allowed and
    /// browsers still do). Without it the checker stops at `connected` without nominating.
    public var nominate = true

    public init() {}
}
