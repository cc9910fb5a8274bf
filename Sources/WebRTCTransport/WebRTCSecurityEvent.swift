import DTLSSRTP
import ICE

/// The DTLS state of a WebRTC transport, with mediasoup's `dtlsState` names.
public enum DTLSTransportState: String, Sendable, Hashable, CaseIterable, Codable {
    /// No handshake yet (before `connect`, or before ICE selected a tuple).
    case new
    /// Handshake under way.
    case connecting
    /// Keys exported; SRTP runs.
    case connected
    /// The handshake failed (wrong fingerprint, no common SRTP profile, timeout, alert).
    case failed
    /// A close_notify was sent or received.
    case closed
}

/// Something the security layer tells its owner, drained through `poll()`.
public enum WebRTCSecurityEvent: Sendable, Equatable {
    /// ICE moved to this state (mediasoup's `icestatechange`).
    case iceStateChanged(ICEState)
    /// Where media goes now; nil: nowhere (mediasoup's `iceselectedtuplechange`).
    case selectedTupleChanged(ICETransportTuple?)
    /// DTLS moved to this state (mediasoup's `dtlsstatechange`); `.connected` comes with the
    /// negotiated profile in `srtpProfile`.
    case dtlsStateChanged(DTLSTransportState)
    /// Why DTLS failed (follows `.dtlsStateChanged(.failed)`).
    case dtlsFailed(DTLSFailure)
}

/// What `poll()` returns: a datagram for the wire, or an event.
public enum WebRTCSecurityOutput: Sendable, Equatable {
    /// Send `bytes` from `tuple.local` to `tuple.remote` (STUN answers and checks, DTLS flights).
    case transmit(ICETransportTuple, [UInt8])
    case event(WebRTCSecurityEvent)
}

/// What became of a received datagram.
public enum WebRTCReceiveResult: Sendable, Equatable {
    /// The buffer now holds the decrypted RTP packet, `length` bytes long: hand it on.
    case rtp(length: Int)
    /// The buffer now holds the decrypted RTCP compound packet, `length` bytes long.
    case rtcp(length: Int)
    /// STUN or DTLS, handled here: drain `poll()`.
    case handled
    /// Dropped and counted.
    case dropped(WebRTCDropReason)

    /// The plaintext length for media, nil otherwise.
    public var mediaLength: Int? {
        switch self {
        case .rtp(let length), .rtcp(let length): length
        case .handled, .dropped: nil
        }
    }
}
