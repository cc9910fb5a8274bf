/// Why an RTP packet was rejected by ``RTPHeader/init(parsing:)``; one case per drop reason
/// so a transport can count them.
public enum RTPParseError: Error, Hashable, Sendable, CaseIterable {
    /// Fewer than 12 bytes, or the CSRC list runs past the end of the buffer.
    case tooShort
    /// The version field is not 2.
    case badVersion
    /// The X bit is set but the extension header or its declared length runs past the buffer.
    case badExtensionLength
    /// The P bit is set but the padding count is 0 or exceeds the bytes after the header.
    case badPadding
}
