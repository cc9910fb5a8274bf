/// What a datagram on a WebRTC 5-tuple carries, from its first bytes: the demultiplexing of
/// RFC 7983 §7 (which updates RFC 5764 §5.1.2), with RTP and RTCP told apart as in RFC 5761 §4.
///
/// | first byte | kind |
/// | --- | --- |
/// | 0–3 | STUN |
/// | 16–19 | ZRTP (dropped here) |
/// | 20–63 | DTLS |
/// | 64–79 | TURN channel data (dropped here) |
/// | 128–191 | RTP, or RTCP when the second byte is 192–223 (payload types 64–95 with the marker bit) |
public enum WebRTCDatagramKind: Hashable, Sendable, CaseIterable {
    case stun
    case dtls
    case rtp
    case rtcp
    /// Empty, or a first byte outside the ranges above (counted and dropped by the caller).
    case unknown

    /// Classifies a datagram by its first one or two bytes.
    @inlinable
    public static func classify(_ bytes: UnsafeRawBufferPointer) -> WebRTCDatagramKind {
        guard let first = bytes.first else { return .unknown }
        switch first {
        case 0...3: return .stun
        case 20...63: return .dtls
        case 128...191:
            guard bytes.count >= 2 else { return .unknown }
            // RFC 5761 §4: RTCP packet types 192–223 collide with RTP payload types 64–95 when
            // the marker bit is set; WebRTC never uses those payload types for RTP.
            return (192...223).contains(bytes[1]) ? .rtcp : .rtp
        default: return .unknown
        }
    }

    /// Array convenience for ``classify(_:)-(UnsafeRawBufferPointer)``.
    @inlinable
    public static func classify(_ bytes: [UInt8]) -> WebRTCDatagramKind { bytes.withUnsafeBytes { classify($0) } }
}
