/// A decoded STUN attribute. MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are
/// not attributes of this enum: the parser records where they are (``STUNMessage``) and the
/// builder computes them (``STUNMessageBuilder``).
public enum STUNAttribute: Hashable, Sendable {
    /// USERNAME (RFC 8489 §14.3); for ICE "receiverUfrag:senderUfrag" (RFC 8445 §7.2.2).
    case username(String)
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the source the server saw the request come from.
    case xorMappedAddress(TransportAddress)
    /// MAPPED-ADDRESS (RFC 8489 §14.1), kept for old servers.
    case mappedAddress(TransportAddress)
    /// ERROR-CODE (RFC 8489 §14.8).
    case errorCode(STUNErrorCode)
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): the comprehension-required types not understood.
    case unknownAttributes([UInt16])
    /// SOFTWARE (RFC 8489 §14.14).
    case software(String)
    /// PRIORITY (RFC 8445 §7.1.1): the priority of the peer-reflexive candidate.
    case priority(UInt32)
    /// USE-CANDIDATE (RFC 8445 §7.1.2): the controlling agent nominates this pair.
    case useCandidate
    /// ICE-CONTROLLED with the sender's tie-breaker (RFC 8445 §7.1.3).
    case iceControlled(tieBreaker: UInt64)
    /// ICE-CONTROLLING with the sender's tie-breaker (RFC 8445 §7.1.3).
    case iceControlling(tieBreaker: UInt64)
    /// Any other attribute, value bytes without padding (GOOG-NETWORK-INFO, REALM, …).
    case other(type: STUNAttributeType, value: [UInt8])

    /// The attribute's type code.
    public var type: STUNAttributeType {
        switch self {
        case .username: return .username
        case .xorMappedAddress: return .xorMappedAddress
        case .mappedAddress: return .mappedAddress
        case .errorCode: return .errorCode
        case .unknownAttributes: return .unknownAttributes
        case .software: return .software
        case .priority: return .priority
        case .useCandidate: return .useCandidate
        case .iceControlled: return .iceControlled
        case .iceControlling: return .iceControlling
        case .other(let type, _): return type
        }
    }
}
