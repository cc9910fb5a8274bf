/// Everything that can be tuned in the engine, in mediasoup v3's vocabulary.
///
/// A profile is the unit the tuner sweeps, compares and promotes. Every field has the default
/// documented beside it (mediasoup's default where mediasoup has the option); a YAML profile
/// only names what it changes. `Profiles/baseline.yaml` is this struct's defaults written out.
public struct Profile: Codable, Sendable, Hashable {
    /// `worker` section: processes/threads and ports (live-only knobs).
    public var worker = WorkerSettings()
    /// `router` section: media codecs.
    public var router = RouterSettings()
    /// `webRtcTransport` section: transport options and bandwidth limits.
    public var webRtcTransport = WebRtcTransportSettings()
    /// `producer` section: how publishers send (simulcast encodings, key-frame request delay).
    public var producer = ProducerSettings()
    /// `consumer` section: how subscribers receive (priority, preferred layers, RTX).
    public var consumer = ConsumerSettings()
    /// `feedback` section: NACK, retransmission buffer, key-frame requests, RTCP reports.
    public var feedback = FeedbackSettings()

    public init() {}
}

/// mediasoup `WorkerSettings` plus `worker.count` (how many workers a deployment runs).
public struct WorkerSettings: Codable, Sendable, Hashable {
    /// Number of workers (one event loop each). Live-only. Default 1.
    public var count: Int = 1
    /// Log level: `debug`, `warn`, `error` or `none`. Default `error`.
    public var logLevel: String = "error"
    /// Lowest RTC port. Live-only. Default 10000.
    public var rtcMinPort: Int = 10_000
    /// Highest RTC port. Live-only. Default 59999.
    public var rtcMaxPort: Int = 59_999

    public init() {}
}

/// One entry of `router.mediaCodecs` (mediasoup `RtpCodecCapability`).
public struct MediaCodec: Codable, Sendable, Hashable {
    /// `audio` or `video`.
    public var kind: MediaKind
    /// For example `audio/opus`, `video/VP8`, `video/VP9`.
    public var mimeType: String
    /// RTP clock rate in Hz.
    public var clockRate: Int
    /// Audio channels (opus: 2).
    public var channels: Int?
    /// Codec parameters (fmtp), for example `useinbandfec: "1"`.
    public var parameters: [String: String]?
    /// Payload type the router assigns; chosen from 100 upward when absent.
    public var preferredPayloadType: Int?

    public init(kind: MediaKind, mimeType: String, clockRate: Int, channels: Int? = nil,
                parameters: [String: String]? = nil, preferredPayloadType: Int? = nil) {
        self.kind = kind
        self.mimeType = mimeType
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.preferredPayloadType = preferredPayloadType
    }
}

/// `audio` or `video`.
public enum MediaKind: String, Codable, Sendable, Hashable, CaseIterable {
    case audio, video
}

/// mediasoup `RouterOptions`.
public struct RouterSettings: Codable, Sendable, Hashable {
    /// Codecs the router accepts. Default: Opus 48 kHz stereo, VP8, VP9.
    public var mediaCodecs: [MediaCodec] = [
        MediaCodec(kind: .audio, mimeType: "audio/opus", clockRate: 48_000, channels: 2,
                   parameters: ["useinbandfec": "1"]),
        MediaCodec(kind: .video, mimeType: "video/VP8", clockRate: 90_000),
        MediaCodec(kind: .video, mimeType: "video/VP9", clockRate: 90_000, parameters: ["profile-id": "0"]),
    ]

    public init() {}
}

/// One entry of `webRtcTransport.listenInfos` (mediasoup `TransportListenInfo`).
public struct ListenInfo: Codable, Sendable, Hashable {
    /// `udp` or `tcp`.
    public var `protocol`: TransportProtocol
    /// Address to listen on.
    public var ip: String
    /// Address announced to clients, when different (NAT).
    public var announcedAddress: String?
    /// Fixed port; a free port in [rtcMinPort, rtcMaxPort] when absent.
    public var port: Int?

    public init(protocol: TransportProtocol, ip: String, announcedAddress: String? = nil, port: Int? = nil) {
        self.protocol = `protocol`
        self.ip = ip
        self.announcedAddress = announcedAddress
        self.port = port
    }
}

/// `udp` or `tcp`.
public enum TransportProtocol: String, Codable, Sendable, Hashable, CaseIterable {
    case udp, tcp
}

/// mediasoup `WebRtcTransportOptions` plus the bitrate setters (`setMaxIncomingBitrate`, ...).
public struct WebRtcTransportSettings: Codable, Sendable, Hashable {
    /// Where to listen. Default UDP and TCP on 127.0.0.1.
    public var listenInfos: [ListenInfo] = [
        ListenInfo(protocol: .udp, ip: "127.0.0.1"),
        ListenInfo(protocol: .tcp, ip: "127.0.0.1"),
    ]
    /// Listen in UDP. Default true.
    public var enableUdp: Bool = true
    /// Listen in TCP. Default false (mediasoup: true only with a WebRtcServer).
    public var enableTcp: Bool = false
    /// Prefer UDP candidates. Default false.
    public var preferUdp: Bool = false
    /// Prefer TCP candidates. Default false.
    public var preferTcp: Bool = false
    /// Bandwidth estimate each egress transport starts from, bps. Default 600000.
    public var initialAvailableOutgoingBitrate: Bitrate = 600_000
    /// Floor of the outgoing estimate, bps; none when absent.
    public var minOutgoingBitrate: Bitrate?
    /// Ceiling of the outgoing estimate, bps; none when absent.
    public var maxOutgoingBitrate: Bitrate?
    /// Limit signalled to publishers (REMB), bps; none when absent.
    public var maxIncomingBitrate: Bitrate?
    /// ICE consent timeout in seconds; 0 disables. Default 30.
    public var iceConsentTimeout: Int = 30
    /// Socket send buffer, bytes; OS default when absent. Live-only.
    public var sendBufferSize: Int?
    /// Socket receive buffer, bytes; OS default when absent. Live-only.
    public var recvBufferSize: Int?
    /// SRTP protection profiles a webrtc transport offers in DTLS's use_srtp extension, most
    /// preferred first (the DTLS server's order wins). Not a mediasoup option (mediasoup fixes the
    /// order); sfulab's, to weigh crypto cost against strength. Live-only. Default mediasoup's
    /// order: AEAD_AES_256_GCM, AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32.
    public var srtpCryptoSuites: [SRTPCryptoSuite] = SRTPCryptoSuite.allCases
    /// The library that protects and unprotects SRTP on webrtc transports, on the server and in
    /// the live load generator's participants. Not a mediasoup option; sfulab's, to weigh crypto
    /// cost. Live-only. Default `libsrtp2`, the library mediasoup links (docs/dtls-srtp.md).
    public var srtpBackend: SRTPBackendName = .libsrtp2

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case listenInfos, enableUdp, enableTcp, preferUdp, preferTcp, initialAvailableOutgoingBitrate
        case minOutgoingBitrate, maxOutgoingBitrate, maxIncomingBitrate, iceConsentTimeout
        case sendBufferSize, recvBufferSize, srtpCryptoSuites, srtpBackend
    }

    /// As the synthesized decoder, except that the keys added after profiles were first written
    /// out (`srtpCryptoSuites`, `srtpBackend`) take their defaults when absent, so that trial
    /// specs saved by an earlier sfulab (`sfulab trial --spec`) still load.
    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: CodingKeys.self)
        listenInfos = try keys.decode([ListenInfo].self, forKey: .listenInfos)
        enableUdp = try keys.decode(Bool.self, forKey: .enableUdp)
        enableTcp = try keys.decode(Bool.self, forKey: .enableTcp)
        preferUdp = try keys.decode(Bool.self, forKey: .preferUdp)
        preferTcp = try keys.decode(Bool.self, forKey: .preferTcp)
        initialAvailableOutgoingBitrate = try keys.decode(Bitrate.self, forKey: .initialAvailableOutgoingBitrate)
        minOutgoingBitrate = try keys.decodeIfPresent(Bitrate.self, forKey: .minOutgoingBitrate)
        maxOutgoingBitrate = try keys.decodeIfPresent(Bitrate.self, forKey: .maxOutgoingBitrate)
        maxIncomingBitrate = try keys.decodeIfPresent(Bitrate.self, forKey: .maxIncomingBitrate)
        iceConsentTimeout = try keys.decode(Int.self, forKey: .iceConsentTimeout)
        sendBufferSize = try keys.decodeIfPresent(Int.self, forKey: .sendBufferSize)
        recvBufferSize = try keys.decodeIfPresent(Int.self, forKey: .recvBufferSize)
        srtpCryptoSuites = try keys.decodeIfPresent([SRTPCryptoSuite].self, forKey: .srtpCryptoSuites) ?? SRTPCryptoSuite.allCases
        srtpBackend = try keys.decodeIfPresent(SRTPBackendName.self, forKey: .srtpBackend) ?? .libsrtp2
    }
}

/// Which SRTP implementation a webrtc transport runs (the DTLS layer maps each to its
/// `SRTPBackend`): both put the same bytes on the wire; they differ in CPU cost and allocations.
public enum SRTPBackendName: String, Codable, Sendable, Hashable, CaseIterable {
    /// libsrtp2, as mediasoup uses it.
    case libsrtp2
    /// RFC 3711 / RFC 7714 on OpenSSL's libcrypto (EVP), no allocation per packet.
    case openssl
}

/// An SRTP protection profile by mediasoup's crypto-suite name (`srtpParameters.cryptoSuite`;
/// RFC 5764 §4.1.2, RFC 7714 §14.2). The DTLS layer maps each to its `SRTPProfile`.
public enum SRTPCryptoSuite: String, Codable, Sendable, Hashable, CaseIterable {
    case aeadAES256GCM = "AEAD_AES_256_GCM"
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
}

/// One simulcast encoding (mediasoup `RtpEncodingParameters`).
public struct Encoding: Codable, Sendable, Hashable {
    /// RTP stream id, for example `r0`.
    public var rid: String
    /// Target/maximum bitrate of this encoding, bps.
    public var maxBitrate: Bitrate
    /// Resolution divisor relative to the source (4, 2, 1).
    public var scaleResolutionDownBy: Double
    /// Scalability mode, for example `L1T3` (one spatial, three temporal layers).
    public var scalabilityMode: String

    public init(rid: String, maxBitrate: Bitrate, scaleResolutionDownBy: Double, scalabilityMode: String = "L1T3") {
        self.rid = rid
        self.maxBitrate = maxBitrate
        self.scaleResolutionDownBy = scaleResolutionDownBy
        self.scalabilityMode = scalabilityMode
    }
}

/// How publishers produce: mediasoup `ProducerOptions` and the client's encodings.
public struct ProducerSettings: Codable, Sendable, Hashable {
    /// Simulcast encodings, lowest first. Default 150k/500k/1.5M at ÷4/÷2/÷1, L1T3 each.
    public var encodings: [Encoding] = [
        Encoding(rid: "r0", maxBitrate: 150_000, scaleResolutionDownBy: 4),
        Encoding(rid: "r1", maxBitrate: 500_000, scaleResolutionDownBy: 2),
        Encoding(rid: "r2", maxBitrate: 1_500_000, scaleResolutionDownBy: 1),
    ]
    /// Scalability mode for SVC (VP9) producers. Default `L3T3_KEY`.
    public var svcScalabilityMode: String = "L3T3_KEY"
    /// Milliseconds the producer waits before forwarding another key-frame request upstream. Default 0.
    public var keyFrameRequestDelay: Int = 0

    public init() {}
}

/// A consumer's preferred spatial and temporal layer (mediasoup `ConsumerLayers`).
public struct ConsumerLayers: Codable, Sendable, Hashable {
    public var spatialLayer: Int
    public var temporalLayer: Int?

    public init(spatialLayer: Int, temporalLayer: Int? = nil) {
        self.spatialLayer = spatialLayer
        self.temporalLayer = temporalLayer
    }
}

/// How subscribers consume: mediasoup `ConsumerOptions`.
public struct ConsumerSettings: Codable, Sendable, Hashable {
    /// Priority for bandwidth allocation, 1...255. Default 1.
    public var priority: Int = 1
    /// Preferred layers; the highest available when absent.
    public var preferredLayers: ConsumerLayers?
    /// Retransmit over RTX when the consumer negotiated it. Default true.
    public var enableRtx: Bool = true
    /// Forward audio DTX packets even when the consumer would skip them. Default false.
    public var ignoreDtx: Bool = false

    public init() {}
}
