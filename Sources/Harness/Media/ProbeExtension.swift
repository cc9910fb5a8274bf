import RTP

/// The measurement probe of a recorded payload, carried in an RTP header extension instead of
/// the payload: 16 bytes (capture time, first send time; nanoseconds of virtual time, big-endian)
/// under the one-byte id `ProbeExtension.id`. Recorded payloads are real VP8/Opus and must reach
/// the subscriber unchanged, so the probe cannot go inside them; the engine forwards header
/// extensions as they came (it rewrites only SSRC, sequence number, timestamp and payload type),
/// RTX keeps them (RFC 4588), so the subscriber still measures from the packet that arrived.
/// docs/participants.md describes both probe placements.
enum ProbeExtension {
    /// A one-byte-header id the router does not assign (RouterCapabilities.HeaderExtensionID uses
    /// 1–5 and 10); 14 is the highest one-byte id (RFC 8285 §4.2).
    static let id: UInt8 = 14

    /// The extension element for `probe`.
    static func element(_ probe: ProbeHeader) -> RTPHeaderExtension {
        var value: [UInt8] = []
        value.reserveCapacity(ProbeHeader.size)
        probe.write(into: &value)
        return RTPHeaderExtension(id: id, value: value)
    }

    /// The probe of an RTP packet, or nil when it has none.
    static func read(packet bytes: UnsafeRawBufferPointer) -> ProbeHeader? {
        guard let view = try? RTPPacketView(parsing: bytes) else { return nil }
        return read(view)
    }

    /// The probe of an already parsed RTP packet, or nil when it has none.
    static func read(_ view: RTPPacketView) -> ProbeHeader? {
        guard view.header.extensionBlock != nil, let value = view.extensionValue(id: id) else { return nil }
        return ProbeHeader(value, offset: 0)
    }
}
