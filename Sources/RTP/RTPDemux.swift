/// Demultiplexing helpers for RTP and RTCP sharing one port (RFC 5761 §4, RFC 7983).
public enum RTPDemux {
    /// True when a datagram starting with `bytes` is RTCP: version 2 and the second byte (the
    /// RTCP packet type, or RTP marker + payload type) in 192...223 (RFC 5761 §4).
    @inlinable
    public static func isRTCP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 2, bytes[0] >> 6 == 2 else { return false }
        return (192...223).contains(bytes[1])
    }

    /// Array convenience for ``isRTCP(_:)-(UnsafeRawBufferPointer)``.
    @inlinable
    public static func isRTCP(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { isRTCP($0) } }

    /// True when `bytes` looks like RTP or RTCP (first byte 128...191, RFC 7983 §7).
    @inlinable
    public static func isRTPOrRTCP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first else { return false }
        return (128...191).contains(first)
    }
}
