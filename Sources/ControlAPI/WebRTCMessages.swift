import Engine

// The signalling bodies of WebRTC transports, in mediasoup v3's shapes (`WebRtcTransport`'s
// `iceParameters`, `iceCandidates`, `dtlsParameters`, `iceSelectedTuple`). Roles, states and
// algorithms are strings here (the control API does not link OpenSSL); the server checks them
// and answers 400 naming the field.

/// `iceParameters`: the server's ICE credentials. The server is ICE-lite.
public struct ICEParameters: Codable, Sendable, Hashable {
    public var usernameFragment: String
    public var password: String
    public var iceLite: Bool

    public init(usernameFragment: String, password: String, iceLite: Bool = true) {
        self.usernameFragment = usernameFragment
        self.password = password
        self.iceLite = iceLite
    }
}

/// One of `iceCandidates`: a host candidate of the transport (RFC 8445 §5.1.1.1; RFC 6544
/// `tcptype passive` over TCP, framed per RFC 4571).
public struct ICECandidate: Codable, Sendable, Hashable {
    public var foundation: String
    public var priority: UInt32
    public var ip: String
    public var port: UInt16
    public var `protocol`: TransportProtocol
    /// Always `host`.
    public var type: String
    /// `passive` for TCP candidates, absent for UDP.
    public var tcpType: String?

    public init(foundation: String, priority: UInt32, ip: String, port: UInt16, protocol: TransportProtocol, type: String = "host",
                tcpType: String? = nil) {
        self.foundation = foundation
        self.priority = priority
        self.ip = ip
        self.port = port
        self.protocol = `protocol`
        self.type = type
        self.tcpType = tcpType
    }
}

/// One of `dtlsParameters.fingerprints` (RFC 8122): `algorithm` `sha-1` … `sha-512`, `value`
/// upper-case hex pairs separated by colons.
public struct DTLSFingerprintParameter: Codable, Sendable, Hashable {
    public var algorithm: String
    public var value: String

    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }
}

/// `dtlsParameters`: the DTLS role (`auto`, `client`, `server`) and certificate fingerprints.
public struct DTLSParameters: Codable, Sendable, Hashable {
    public var role: String
    public var fingerprints: [DTLSFingerprintParameter]

    public init(role: String, fingerprints: [DTLSFingerprintParameter]) {
        self.role = role
        self.fingerprints = fingerprints
    }
}

/// `iceSelectedTuple`: where the transport's media goes (mediasoup's `TransportTuple`).
public struct TransportTupleDescription: Codable, Sendable, Hashable {
    public var localIp: String
    public var localPort: UInt16
    public var remoteIp: String
    public var remotePort: UInt16
    public var `protocol`: TransportProtocol

    public init(localIp: String, localPort: UInt16, remoteIp: String, remotePort: UInt16, protocol: TransportProtocol) {
        self.localIp = localIp
        self.localPort = localPort
        self.remoteIp = remoteIp
        self.remotePort = remotePort
        self.protocol = `protocol`
    }
}

/// The security part of `TransportStats` for a `webrtc` transport.
public struct WebRTCTransportStats: Codable, Sendable, Hashable {
    /// mediasoup's `iceState`: `new`, `connected`, `completed`, `disconnected`, `closed`.
    public var iceState: String
    public var iceSelectedTuple: TransportTupleDescription?
    /// mediasoup's `dtlsState`: `new`, `connecting`, `connected`, `failed`, `closed`.
    public var dtlsState: String
    /// The DTLS role resolved at `connect` (`client` or `server`); absent before.
    public var dtlsRole: String?
    /// The negotiated SRTP protection profile (mediasoup's crypto-suite names); absent before DTLS connected.
    public var srtpCryptoSuite: String?
    /// The SRTP library this transport runs (`webRtcTransport.srtpBackend`: `libsrtp2` or `openssl`).
    public var srtpBackend: String
    /// That library's version string (for example `libsrtp2 2.5.0`, `OpenSSL 3.0.22 25 Aug 2026`).
    public var srtpLibrary: String
    /// SRTP/SRTCP packets decrypted and handed to the engine, and protected for the wire.
    public var mediaReceived: Int
    public var mediaSent: Int
    /// Drops by reason: the security layer's (`unknownKind`, `dtlsBeforeConnect`, `unknownTuple`,
    /// `mediaBeforeKeys`, `authenticationFailed`, `replayed`, `malformedMedia`, `sendBeforeKeys`,
    /// `sendWithoutTuple`, `protectFailed`), the ICE agent's as `ice.<reason>`, and DTLS's
    /// `dtls.malformed` and `dtls.afterFinish`. Reasons that never happened are left out.
    public var drops: [String: Int]
    /// Why DTLS failed, when it did.
    public var dtlsFailure: String?

    public init(iceState: String, iceSelectedTuple: TransportTupleDescription?, dtlsState: String, dtlsRole: String?,
                srtpCryptoSuite: String?, srtpBackend: String, srtpLibrary: String, mediaReceived: Int, mediaSent: Int,
                drops: [String: Int], dtlsFailure: String?) {
        self.iceState = iceState
        self.iceSelectedTuple = iceSelectedTuple
        self.dtlsState = dtlsState
        self.dtlsRole = dtlsRole
        self.srtpCryptoSuite = srtpCryptoSuite
        self.srtpBackend = srtpBackend
        self.srtpLibrary = srtpLibrary
        self.mediaReceived = mediaReceived
        self.mediaSent = mediaSent
        self.drops = drops
        self.dtlsFailure = dtlsFailure
    }
}
