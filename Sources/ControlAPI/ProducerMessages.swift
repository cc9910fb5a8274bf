import Engine

/// One encoding of a producer (mediasoup `RtpEncodingParameters`, reduced).
public struct EncodingInfo: Codable, Sendable, Hashable {
    public var ssrc: UInt32?
    public var rid: String?
    public var rtxSsrc: UInt32?
    /// Bits per second.
    public var maxBitrate: Int?
    public var scalabilityMode: String?

    public init(ssrc: UInt32? = nil, rid: String? = nil, rtxSsrc: UInt32? = nil, maxBitrate: Int? = nil, scalabilityMode: String? = nil) {
        self.ssrc = ssrc
        self.rid = rid
        self.rtxSsrc = rtxSsrc
        self.maxBitrate = maxBitrate
        self.scalabilityMode = scalabilityMode
    }

    public init(_ encoding: ProducerEncoding) {
        self.init(ssrc: encoding.ssrc, rid: encoding.rid, rtxSsrc: encoding.rtxSSRC,
                  maxBitrate: encoding.maxBitrate.map { Int($0.bitsPerSecond) }, scalabilityMode: encoding.scalabilityMode)
    }

    public var producerEncoding: ProducerEncoding {
        ProducerEncoding(ssrc: ssrc, rid: rid, rtxSSRC: rtxSsrc, maxBitrate: maxBitrate.map { Bitrate(bitsPerSecond: Int64($0)) },
                         scalabilityMode: scalabilityMode)
    }
}

/// `POST /rooms/{room}/transports/{id}/producers`.
public struct ProduceRequest: Codable, Sendable, Hashable {
    public var kind: MediaKind
    public var mimeType: String
    public var payloadType: UInt8
    public var rtxPayloadType: UInt8?
    public var encodings: [EncodingInfo]
    public var paused: Bool

    public init(_ options: ProducerOptions) {
        kind = options.kind
        mimeType = options.mimeType
        payloadType = options.payloadType
        rtxPayloadType = options.rtxPayloadType
        encodings = options.encodings.map(EncodingInfo.init)
        paused = options.paused
    }

    public var producerOptions: ProducerOptions {
        ProducerOptions(kind: kind, mimeType: mimeType, payloadType: payloadType, rtxPayloadType: rtxPayloadType,
                        encodings: encodings.map(\.producerEncoding), paused: paused)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, mimeType, payloadType, rtxPayloadType, encodings, paused
    }

    /// Decodes a request; `paused` may be left out (false).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(MediaKind.self, forKey: .kind)
        mimeType = try container.decode(String.self, forKey: .mimeType)
        payloadType = try container.decode(UInt8.self, forKey: .payloadType)
        rtxPayloadType = try container.decodeIfPresent(UInt8.self, forKey: .rtxPayloadType)
        encodings = try container.decode([EncodingInfo].self, forKey: .encodings)
        paused = try container.decodeIfPresent(Bool.self, forKey: .paused) ?? false
    }
}

/// `PUT /rooms/{room}/producers/{id}/source`: the publisher replaced its source (a device
/// switch: new camera or microphone) and sends new SSRCs, one per encoding in the producer's
/// order. Consumers keep one continuous stream and restart at the next key frame.
public struct ReplaceSourceRequest: Codable, Sendable, Hashable {
    public var encodings: [EncodingInfo]

    public init(encodings: [ProducerEncoding]) {
        self.encodings = encodings.map(EncodingInfo.init)
    }
}

/// A created producer.
public struct ProducerInfo: Codable, Sendable, Hashable {
    public var id: Int

    public init(id: Int) { self.id = id }
}

/// `POST /rooms/{room}/transports/{id}/consumers`.
public struct ConsumeRequest: Codable, Sendable, Hashable {
    public var producerId: Int
    public var paused: Bool
    public var preferredLayers: ConsumerLayers?
    public var priority: Int?

    public init(_ options: ConsumerOptions) {
        producerId = options.producer.rawValue
        paused = options.paused
        preferredLayers = options.preferredLayers
        priority = options.priority
    }

    public var consumerOptions: ConsumerOptions {
        ConsumerOptions(producer: ProducerID(rawValue: producerId), paused: paused, preferredLayers: preferredLayers, priority: priority)
    }

    private enum CodingKeys: String, CodingKey {
        case producerId, paused, preferredLayers, priority
    }

    /// Decodes a request; everything but `producerId` may be left out (`paused` false).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        producerId = try container.decode(Int.self, forKey: .producerId)
        paused = try container.decodeIfPresent(Bool.self, forKey: .paused) ?? false
        preferredLayers = try container.decodeIfPresent(ConsumerLayers.self, forKey: .preferredLayers)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority)
    }
}

/// A created consumer: what the subscriber needs to receive its stream.
public struct ConsumerInfo: Codable, Sendable, Hashable {
    public var id: Int
    public var producerId: Int
    public var type: ConsumerType
    public var kind: MediaKind
    public var mimeType: String
    public var clockRate: Int
    public var ssrc: UInt32
    public var payloadType: UInt8
    public var rtxSsrc: UInt32?
    public var rtxPayloadType: UInt8?

    public init(id: ConsumerID, producer: ProducerID, _ parameters: ConsumerParameters) {
        self.id = id.rawValue
        producerId = producer.rawValue
        type = parameters.type
        kind = parameters.kind
        mimeType = parameters.mimeType
        clockRate = parameters.clockRate
        ssrc = parameters.ssrc
        payloadType = parameters.payloadType
        rtxSsrc = parameters.rtxSSRC
        rtxPayloadType = parameters.rtxPayloadType
    }

    public var consumerParameters: ConsumerParameters {
        ConsumerParameters(type: type, kind: kind, mimeType: mimeType, clockRate: clockRate, ssrc: ssrc,
                           payloadType: payloadType, rtxSSRC: rtxSsrc, rtxPayloadType: rtxPayloadType)
    }
}

/// `PUT /rooms/{room}/consumers/{id}/preferred-layers` takes a `ConsumerLayers` body;
/// `PUT /rooms/{room}/consumers/{id}/priority` takes this one.
public struct PriorityRequest: Codable, Sendable, Hashable {
    public var priority: Int

    public init(priority: Int) { self.priority = priority }
}

/// `GET /rooms/{room}/consumers/{id}`.
public struct ConsumerStats: Codable, Sendable, Hashable {
    public var id: Int
    public var paused: Bool
    public var currentLayers: ConsumerLayers?

    public init(id: Int, paused: Bool, currentLayers: ConsumerLayers?) {
        self.id = id
        self.paused = paused
        self.currentLayers = currentLayers
    }
}
