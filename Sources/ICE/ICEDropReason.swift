/// Why an ICE agent dropped or refused an incoming STUN message. Every drop is counted by
/// reason in ``ICECounters``; the comment says which error response (if any) the lite agent
/// sends back for a request.
public enum ICEDropReason: Hashable, Sendable {
    /// Not a well-formed STUN message (including a wrong FINGERPRINT). No response.
    case malformed(STUNParseError)
    /// A request for a method other than Binding (400), or a non-Binding indication or response.
    case unsupportedMethod
    /// A Binding request without FINGERPRINT (400; ICE requires it, RFC 8445 §7.2.2).
    case missingFingerprint
    /// A Binding request without USERNAME or MESSAGE-INTEGRITY (400, RFC 8489 §9.1.3).
    case missingCredentials
    /// A Binding request without PRIORITY, without an ICE role, or with both roles (400).
    case missingICEAttributes
    /// USERNAME does not start with our fragment (or, when known, end with the peer's) (401).
    case unknownUsername
    /// MESSAGE-INTEGRITY does not match our password (401, RFC 8489 §9.1.3); on the checker:
    /// a response whose integrity does not match the remote password.
    case badIntegrity
    /// Comprehension-required attributes we do not understand (420 with UNKNOWN-ATTRIBUTES).
    case unknownComprehensionRequired
    /// The peer claims the controlled role too, with a tie-breaker not above ours (487,
    /// RFC 8445 §7.3.1.1).
    case roleConflict
    /// A response arriving at the lite agent, which never sends requests. No response.
    case unexpectedResponse
    /// A response whose transaction ID matches no outstanding request (checker).
    case unknownTransaction
    /// An error response to one of our requests (checker), with its code.
    case errorResponse(UInt16)
    /// A request arriving at the checker, which answers none (it talks to an ICE-lite server).
    case unexpectedRequest
    /// The agent is closed.
    case closed
}
