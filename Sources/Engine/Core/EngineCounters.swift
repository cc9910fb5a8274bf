/// Why the engine dropped an incoming datagram or packet.
public enum DropReason: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case unknownTransport, notRTPOrRTCP, malformedRTP, malformedRTCP, unknownSSRC
    case unknownPayloadType, tooLarge, malformedRTX
    /// An RTX packet that repairs nothing: its original already arrived or was given up on
    /// (mediasoup discards these too; libwebrtc sends old packets over RTX as probe padding).
    case unrequestedRetransmission

    public var description: String {
        switch self {
        case .unknownTransport: "unknownTransport"
        case .notRTPOrRTCP: "notRTPOrRTCP"
        case .malformedRTP: "malformedRTP"
        case .malformedRTCP: "malformedRTCP"
        case .unknownSSRC: "unknownSSRC"
        case .unknownPayloadType: "unknownPayloadType"
        case .tooLarge: "tooLarge"
        case .malformedRTX: "malformedRTX"
        case .unrequestedRetransmission: "unrequestedRetransmission"
        }
    }
}

/// Running totals of what the engine did; every drop is counted by reason.
public struct EngineCounters: Sendable, Hashable {
    public var datagramsReceived = 0
    public var rtpPacketsReceived = 0
    public var rtcpPacketsReceived = 0
    public var rtxPacketsReceived = 0
    /// Packet copies sent to consumers (one per consumer per forwarded packet).
    public var packetsForwarded = 0
    public var retransmissionsSent = 0
    /// Generic NACK packets received from subscribers (RFC 4585 §6.2.1).
    public var nacksReceived = 0
    /// Generic NACK packets sent to publishers.
    public var nacksSent = 0
    /// Key-frame requests received from subscribers: each PLI, and each FIR entry.
    public var keyFrameRequestsReceived = 0
    /// PLI/FIR sent to publishers (subscribers' requests forwarded after debouncing, and the
    /// engine's own for layer switches, resumes and NACK give-ups).
    public var keyFrameRequestsSent = 0
    /// Key-frame requests not sent because their stream was not arriving (never seen, or its
    /// publisher paused it).
    public var keyFrameRequestsToInactiveStreams = 0
    /// Producer streams that stopped arriving (nothing for 1.5 s, or 500 ms while the simulcast
    /// stream below went on) and were taken out of layer selection.
    public var streamsWentInactive = 0
    /// Padding packets sent in probe clusters.
    public var probePacketsSent = 0
    /// Bytes of those probe packets (whole RTP packets).
    public var probeBytesSent = 0
    /// Padding-only RTP packets received (probes from publishers).
    public var paddingPacketsReceived = 0
    public var rtcpPacketsSent = 0
    /// Round trips to publishers measured from their XR DLRR blocks (RFC 3611 §4.5).
    public var publisherRoundTripsMeasured = 0
    /// Padding-only packets sent in place of late packets of layers a consumer filters.
    public var holesFilledWithPadding = 0
    public private(set) var drops = [Int](repeating: 0, count: DropReason.allCases.count)

    public init() {}

    /// Every counter but the drops, by name, in declaration order: the names trial results carry
    /// under `engine.` in both run modes (docs/metrics.md) and `GET /rooms/{room}/stats` lists
    /// under `counters`.
    public var named: [(name: String, value: Int)] {
        [("datagramsReceived", datagramsReceived), ("rtpPacketsReceived", rtpPacketsReceived),
         ("rtcpPacketsReceived", rtcpPacketsReceived), ("rtxPacketsReceived", rtxPacketsReceived),
         ("packetsForwarded", packetsForwarded), ("retransmissionsSent", retransmissionsSent),
         ("nacksReceived", nacksReceived), ("nacksSent", nacksSent),
         ("keyFrameRequestsReceived", keyFrameRequestsReceived), ("keyFrameRequestsSent", keyFrameRequestsSent),
         ("keyFrameRequestsToInactiveStreams", keyFrameRequestsToInactiveStreams), ("streamsWentInactive", streamsWentInactive),
         ("probePacketsSent", probePacketsSent), ("probeBytesSent", probeBytesSent),
         ("paddingPacketsReceived", paddingPacketsReceived), ("rtcpPacketsSent", rtcpPacketsSent),
         ("publisherRoundTripsMeasured", publisherRoundTripsMeasured), ("holesFilledWithPadding", holesFilledWithPadding)]
    }

    public mutating func drop(_ reason: DropReason) { drops[reason.rawValue] += 1 }
    public func dropped(_ reason: DropReason) -> Int { drops[reason.rawValue] }
    public var totalDropped: Int { drops.reduce(0, +) }
}
