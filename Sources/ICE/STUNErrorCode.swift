/// The ERROR-CODE attribute (RFC 8489 §14.8): a code in 300–699 and a reason phrase.
public struct STUNErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code, class × 100 + number (for example 401).
    public var code: UInt16
    /// A UTF-8 reason phrase; RFC 8489 §14.8 asks for fewer than 128 characters (at most 763
    /// bytes, which the parser enforces).
    public var reason: String

    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// 400: the request was malformed (RFC 8489 §6.3).
    public static let badRequest = STUNErrorCode(code: 400, reason: "Bad Request")
    /// 401: MESSAGE-INTEGRITY or USERNAME missing or wrong (RFC 8489 §9.1.3).
    public static let unauthorized = STUNErrorCode(code: 401, reason: "Unauthorized")
    /// 420: comprehension-required attributes not understood, listed in UNKNOWN-ATTRIBUTES.
    public static let unknownAttribute = STUNErrorCode(code: 420, reason: "Unknown Attribute")
    /// 487: ICE role conflict (RFC 8445 §7.3.1.1).
    public static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")

    public var description: String { "\(code) \(reason)" }
}
