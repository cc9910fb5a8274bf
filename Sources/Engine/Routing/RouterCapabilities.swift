/// The router's RTP capabilities: payload types for the profile's media codecs and the
/// header-extension ids every transport of this engine uses.
public struct RouterCapabilities: Sendable, Hashable {
    /// Router payload type and RTX payload type per codec mime type (lower-cased).
    public var payloadTypes: [String: (media: UInt8, rtx: UInt8)] {
        var result: [String: (media: UInt8, rtx: UInt8)] = [:]
        for entry in codecs { result[entry.mimeType.lowercased()] = (entry.payloadType, entry.rtxPayloadType) }
        return result
    }

    public struct Codec: Sendable, Hashable {
        public var kind: MediaKind
        public var mimeType: String
        public var clockRate: Int
        public var payloadType: UInt8
        public var rtxPayloadType: UInt8
    }

    public var codecs: [Codec]

    /// Header-extension ids (RFC 8285) used on every transport.
    public enum HeaderExtensionID {
        public static let mid: UInt8 = 1
        public static let rid: UInt8 = 2
        public static let repairedRID: UInt8 = 3
        public static let absSendTime: UInt8 = 4
        public static let transportWideCC: UInt8 = 5
        public static let audioLevel: UInt8 = 10
    }

    /// Assigns payload types from the router settings: `preferredPayloadType` when given, else
    /// from 100 upward; RTX payload types follow.
    public init(router: RouterSettings) {
        var next: UInt8 = 100
        var used = Set(router.mediaCodecs.compactMap { $0.preferredPayloadType.map(UInt8.init(clamping:)) })
        func allocate() -> UInt8 {
            while used.contains(next) { next += 1 }
            used.insert(next)
            return next
        }
        codecs = router.mediaCodecs.map { codec in
            let media = codec.preferredPayloadType.map(UInt8.init(clamping:)) ?? allocate()
            return Codec(kind: codec.kind, mimeType: codec.mimeType, clockRate: codec.clockRate,
                         payloadType: media, rtxPayloadType: allocate())
        }
    }

    /// The router codec for `mimeType` (case-insensitive).
    public func codec(mimeType: String) -> Codec? {
        codecs.first { $0.mimeType.lowercased() == mimeType.lowercased() }
    }
}
