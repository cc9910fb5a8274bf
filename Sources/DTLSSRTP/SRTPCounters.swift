/// Counters of one SRTP session.
public struct SRTPCounters: Equatable, Sendable {
    /// RTP packets protected.
    public var rtpProtected = 0
    /// SRTP packets unprotected.
    public var rtpUnprotected = 0
    /// RTCP packets protected.
    public var rtcpProtected = 0
    /// SRTCP packets unprotected.
    public var rtcpUnprotected = 0
    /// Packets that failed authentication.
    public var authenticationFailures = 0
    /// Packets rejected as replays.
    public var replays = 0
    /// Packets too short, without trailer room, or malformed.
    public var badLength = 0
    /// Other errors.
    public var otherErrors = 0
}
