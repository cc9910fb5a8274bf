/// Why an SRTP or SRTCP packet was not protected or unprotected. The packet's buffer is left
/// as it was given only for length errors; after a failed unprotect, drop the packet.
public enum SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The authentication tag did not verify: tampered, wrong key, or not SRTP.
    case authenticationFailed
    /// The packet index was seen before or is behind the replay window.
    case replayed
    /// Shorter than an RTP (12) or RTCP (8) header, or than its trailer.
    case tooShort(length: Int)
    /// The buffer has no room for the trailer that protecting appends.
    case bufferTooSmall(needed: Int, capacity: Int)
    /// libsrtp2 could not parse the packet (bad header or extension).
    case malformed
    /// Any other libsrtp2 status code.
    case library(status: Int32)

    public var description: String {
        switch self {
        case .authenticationFailed: "SRTP authentication failed"
        case .replayed: "SRTP replay detected"
        case .tooShort(let length): "packet too short for SRTP (\(length) bytes)"
        case .bufferTooSmall(let needed, let capacity): "buffer of \(capacity) bytes has no room for the SRTP trailer (needs \(needed))"
        case .malformed: "packet malformed for SRTP"
        case .library(let status): "libsrtp2 error status \(status)"
        }
    }
}
