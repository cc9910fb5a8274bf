/// Why a WebRTC transport's security layer dropped a datagram or a packet. Every drop is counted
/// by reason (``WebRTCSecurityCounters``); STUN messages the ICE agent refuses are counted by the
/// agent itself (`ICECounters`), DTLS records OpenSSL discards by `DTLSCounters`.
public enum WebRTCDropReason: String, Error, Sendable, Hashable, CaseIterable, Codable {
    /// Empty, or a first byte that is neither STUN, DTLS, RTP nor RTCP (RFC 7983 §7): garbage.
    case unknownKind
    /// DTLS before `connect` gave the peer's fingerprint (server side) or before ICE completed
    /// (client side): there is no DTLS endpoint to hand it to yet.
    case dtlsBeforeConnect
    /// DTLS or SRTP from a tuple no valid ICE check came from (mediasoup ignores those too).
    case unknownTuple
    /// SRTP or SRTCP before the DTLS handshake produced keys.
    case mediaBeforeKeys
    /// SRTP/SRTCP whose authentication tag did not verify (tampered, wrong keys, not SRTP).
    case authenticationFailed
    /// SRTP/SRTCP replayed, or older than the replay window.
    case replayed
    /// SRTP/SRTCP too short or unparsable.
    case malformedMedia
    /// A packet to send before the DTLS handshake produced keys.
    case sendBeforeKeys
    /// A packet or DTLS flight to send while ICE has no selected tuple (consent expired, say).
    case sendWithoutTuple
    /// Protecting a packet to send failed (buffer too small, libsrtp2 error).
    case protectFailed
}

/// Drops by ``WebRTCDropReason``, and what passed.
public struct WebRTCSecurityCounters: Sendable, Hashable {
    private var drops = [Int](repeating: 0, count: WebRTCDropReason.allCases.count)
    /// SRTP and SRTCP packets decrypted and handed on.
    public var mediaReceived = 0
    /// Packets protected for the wire.
    public var mediaSent = 0

    public init() {}

    /// The count for one reason.
    public subscript(reason: WebRTCDropReason) -> Int { drops[reason.index] }

    /// Every drop, all reasons together.
    public var totalDropped: Int { drops.reduce(0, +) }

    /// The reasons with a non-zero count, by name (for stats bodies).
    public var nonZero: [String: Int] {
        var result: [String: Int] = [:]
        for reason in WebRTCDropReason.allCases where drops[reason.index] > 0 { result[reason.rawValue] = drops[reason.index] }
        return result
    }

    mutating func drop(_ reason: WebRTCDropReason) { drops[reason.index] += 1 }
}

extension WebRTCDropReason {
    var index: Int {
        switch self {
        case .unknownKind: 0
        case .dtlsBeforeConnect: 1
        case .unknownTuple: 2
        case .mediaBeforeKeys: 3
        case .authenticationFailed: 4
        case .replayed: 5
        case .malformedMedia: 6
        case .sendBeforeKeys: 7
        case .sendWithoutTuple: 8
        case .protectFailed: 9
        }
    }
}
