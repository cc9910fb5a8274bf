/// What a live trial's transports carry (docs/live-mode.md): WebRTC transports (ICE-lite check,
/// DTLS-SRTP handshake, then SRTP/SRTCP), as real clients use, or plain RTP/RTCP to compare.
/// Simulated trials run no crypto (DESIGN.md): this is a live-only choice.
public enum LiveSecurity: String, Sendable, Hashable, CaseIterable, Codable {
    /// `"type": "webrtc"` transports: ICE, DTLS 1.2, SRTP with the profile's `srtpCryptoSuites`.
    case webrtc
    /// `"type": "plain"` transports: unencrypted RTP/RTCP (mediasoup's PlainTransport).
    case plain
}
