/// A WebRTC scalability mode (W3C webrtc-svc), as `L{S}T{T}` with optional `_KEY` (K-SVC:
/// spatial layers depend on each other only at key pictures) or `S{S}T{T}` (simulcast-style
/// spatial layers in one stream). Anything else parses as nil.
struct ScalabilityMode: Hashable, Sendable {
    /// Number of spatial layers, 1...8.
    var spatialLayers: Int
    /// Number of temporal layers, 1...8.
    var temporalLayers: Int
    /// `_KEY`: inter-layer prediction only at key pictures.
    var isKeySVC: Bool

    /// Parses `L3T3_KEY`, `L1T3`, `S2T1`, … (mediasoup `parseScalabilityMode`).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "L") || bytes[0] == UInt8(ascii: "S") else { return nil }
        var index = 1
        func number() -> Int? {
            var value = 0
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                if value > 8 { return nil }
            }
            return index > start && value >= 1 ? value : nil
        }
        guard let spatial = number(), index < bytes.count, bytes[index] == UInt8(ascii: "T") else { return nil }
        index += 1
        guard let temporal = number() else { return nil }
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        guard rest.isEmpty || rest.hasPrefix("_") else { return nil }
        spatialLayers = spatial
        temporalLayers = temporal
        isKeySVC = rest.hasPrefix("_KEY")
    }

    /// More than one spatial or temporal layer in the one stream.
    var isLayered: Bool { spatialLayers > 1 || temporalLayers > 1 }
}
