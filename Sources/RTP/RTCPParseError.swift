/// Why an RTCP compound packet was rejected; one case per drop reason.
public enum RTCPParseError: Error, Hashable, Sendable {
    /// Fewer than 4 bytes left for a common header, or a body shorter than its fixed fields.
    case tooShort
    /// The version field is not 2.
    case badVersion
    /// The length field runs past the end of the buffer.
    case badLength
    /// The P bit is set but the padding count is 0 or exceeds the packet.
    case badPadding
    /// A body inconsistent with its header (counts that do not fit, wrong REMB identifier...).
    case malformed(packetType: UInt8)
}
