/// A STUN attribute type (RFC 8489 §14, §18.3; RFC 8445 §16.1).
///
/// Types 0x0000–0x7FFF are comprehension-required: a receiver that does not know one must
/// reject a request carrying it (420 with UNKNOWN-ATTRIBUTES). Types 0x8000–0xFFFF are
/// comprehension-optional and are ignored when unknown.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    public static let username = STUNAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    public static let userhash = STUNAttributeType(rawValue: 0x001E)
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// ICE candidate priority (RFC 8445 §7.1.1).
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// ICE nomination flag (RFC 8445 §7.1.2).
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    public static let software = STUNAttributeType(rawValue: 0x8022)
    public static let alternateServer = STUNAttributeType(rawValue: 0x8023)
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    /// ICE role with tie-breaker (RFC 8445 §7.1.3).
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)
    /// Chrome's network id and cost; comprehension-optional, carried through as unknown.
    public static let googNetworkInfo = STUNAttributeType(rawValue: 0xC057)

    /// True for 0x0000–0x7FFF: an agent must understand it to process the message.
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    public var description: String { "0x" + String(rawValue, radix: 16) }
}
