/// What a publisher declares when it starts producing (mediasoup `ProducerOptions` with its
/// `RtpSendParameters`, reduced to what routing needs).
///
/// Publishers use the router's header-extension ids (`RouterCapabilities.headerExtensionIDs`),
/// as mediasoup-client does with the router's RTP capabilities.
public struct ProducerOptions: Sendable, Hashable {
    public var kind: MediaKind
    /// Codec mime type, for example `video/VP8`; must be one of the router's media codecs.
    public var mimeType: String
    /// Payload type the publisher puts on the wire for the media codec.
    public var payloadType: UInt8
    /// Payload type of RTX packets, when the publisher sends RTX.
    public var rtxPayloadType: UInt8?
    /// One entry per encoding (one for plain streams, one per simulcast layer, lowest first).
    public var encodings: [ProducerEncoding]
    /// Start paused.
    public var paused: Bool

    public init(kind: MediaKind, mimeType: String, payloadType: UInt8, rtxPayloadType: UInt8? = nil,
                encodings: [ProducerEncoding], paused: Bool = false) {
        self.kind = kind
        self.mimeType = mimeType
        self.payloadType = payloadType
        self.rtxPayloadType = rtxPayloadType
        self.encodings = encodings
        self.paused = paused
    }
}

/// One encoding of a producer: identified by SSRC (or by `rid` when the SSRC is not signalled).
public struct ProducerEncoding: Sendable, Hashable {
    public var ssrc: UInt32?
    public var rid: String?
    public var rtxSSRC: UInt32?
    /// Declared maximum bitrate, used for allocation until the layer's rate is measured.
    public var maxBitrate: Bitrate?
    /// SVC scalability mode of this encoding, for example `L3T3_KEY` (`L{S}T{T}[_KEY]`). For a
    /// VP9 producer with one encoding, nil means the profile's `producer.svcScalabilityMode`;
    /// more than one spatial or temporal layer makes its consumers SVC consumers.
    public var scalabilityMode: String?

    public init(ssrc: UInt32? = nil, rid: String? = nil, rtxSSRC: UInt32? = nil, maxBitrate: Bitrate? = nil,
                scalabilityMode: String? = nil) {
        self.ssrc = ssrc
        self.rid = rid
        self.rtxSSRC = rtxSSRC
        self.maxBitrate = maxBitrate
        self.scalabilityMode = scalabilityMode
    }
}

/// What a subscriber asks for when it starts consuming (mediasoup `ConsumerOptions`).
public struct ConsumerOptions: Sendable, Hashable {
    public var producer: ProducerID
    public var paused: Bool
    /// Preferred layers; defaults to the profile's `consumer.preferredLayers`, else the highest.
    public var preferredLayers: ConsumerLayers?
    /// Priority 1...255; defaults to the profile's `consumer.priority`.
    public var priority: Int?

    public init(producer: ProducerID, paused: Bool = false, preferredLayers: ConsumerLayers? = nil, priority: Int? = nil) {
        self.producer = producer
        self.paused = paused
        self.preferredLayers = preferredLayers
        self.priority = priority
    }
}

/// The kind of consumer the engine created for a producer.
public enum ConsumerType: String, Sendable, Hashable, Codable {
    case simple, simulcast, svc
}

/// What the subscriber must know to receive a consumer's stream.
public struct ConsumerParameters: Sendable, Hashable {
    public var type: ConsumerType
    public var kind: MediaKind
    public var mimeType: String
    public var clockRate: Int
    public var ssrc: UInt32
    public var payloadType: UInt8
    /// RTX SSRC and payload type when retransmissions use RTX.
    public var rtxSSRC: UInt32?
    public var rtxPayloadType: UInt8?

    public init(type: ConsumerType, kind: MediaKind, mimeType: String, clockRate: Int, ssrc: UInt32, payloadType: UInt8,
                rtxSSRC: UInt32? = nil, rtxPayloadType: UInt8? = nil) {
        self.type = type
        self.kind = kind
        self.mimeType = mimeType
        self.clockRate = clockRate
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.rtxSSRC = rtxSSRC
        self.rtxPayloadType = rtxPayloadType
    }
}
