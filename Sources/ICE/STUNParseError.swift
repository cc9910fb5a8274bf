/// Why bytes were rejected as a STUN message by ``STUNMessage/init(parsing:)``; one case per
/// drop reason so that a transport can count them.
public enum STUNParseError: Error, Hashable, Sendable, CaseIterable {
    /// Fewer than 20 bytes.
    case tooShort
    /// One of the two top bits of the first byte is set: not STUN (RFC 8489 §5).
    case notSTUN
    /// The magic cookie is not 0x2112A442 (an RFC 3489 message, or not STUN).
    case badMagicCookie
    /// The length field is not a multiple of 4 or does not match the bytes after the header.
    case badLength
    /// An attribute header or value runs past the end of the message.
    case truncatedAttribute
    /// A known attribute has a value of the wrong size or content (for example an address
    /// family other than 1 or 2, a USERNAME over 513 bytes, an error class outside 3–6).
    case malformedAttribute
    /// A text attribute (USERNAME, SOFTWARE, ERROR-CODE reason) is not valid UTF-8.
    case invalidUTF8
    /// FINGERPRINT is not the last attribute.
    case attributeAfterFingerprint
    /// The FINGERPRINT value does not match the message's CRC-32 XOR 0x5354554E.
    case badFingerprint
}
