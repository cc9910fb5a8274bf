import RTP

/// The bytes of an engine probe packet: padding-only RTP on a consumer's RTX stream, with an
/// abs-send-time and a transport-wide sequence number element (the router's extension ids) and
/// `ProbeSendState.paddingBytes` of RTP padding.
///
/// Built once with `RTPPacketBuilder`; each probe packet is a copy with its header fields and its
/// congestion-control stamps written at the offsets found in the template — the same bytes as
/// building the packet and stamping it (`Engine.stampOutgoing`), without building an extension
/// list and parsing the packet again for every probe packet.
struct ProbePacketTemplate {
    /// The packet with zero payload type, sequence number, timestamp, SSRC and stamps.
    let bytes: [UInt8]
    /// Where the 3-byte abs-send-time value and the 2-byte transport-wide sequence number go.
    let absSendTimeOffset: Int
    let transportSequenceOffset: Int

    /// The template every transport uses (the extension ids are the router's constants).
    static let shared = ProbePacketTemplate()

    private init() {
        let builder = RTPPacketBuilder(
            marker: false, payloadType: 0, sequenceNumber: SequenceNumber(0), timestamp: 0, ssrc: 0,
            extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.absSendTime, value: [0, 0, 0]),
                         RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.transportWideCC, value: [0, 0])],
            paddingLength: ProbeSendState.paddingBytes)
        // Constant, valid input (two one-byte elements, padding under 256): building cannot fail.
        guard let bytes = try? builder.build(payload: []) else { preconditionFailure("probe packet template does not build") }
        let offsets = bytes.withUnsafeBytes { raw -> (Int, Int)? in
            guard let view = try? RTPPacketView(parsing: raw),
                  let absSendTime = view.extensionRange(id: RouterCapabilities.HeaderExtensionID.absSendTime),
                  let sequence = view.extensionRange(id: RouterCapabilities.HeaderExtensionID.transportWideCC) else { return nil }
            return (absSendTime.lowerBound, sequence.lowerBound)
        }
        guard let offsets else { preconditionFailure("probe packet template lacks its extension elements") }
        self.bytes = bytes
        (absSendTimeOffset, transportSequenceOffset) = offsets
    }

    /// Writes one probe packet into `buffer` (at least `bytes.count` long) and returns its length.
    func write(into buffer: UnsafeMutableRawBufferPointer, payloadType: UInt8, sequence: UInt16, timestamp: UInt32,
               ssrc: UInt32, absSendTime: AbsSendTime, transportSequence: UInt16) -> Int {
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        // The header as `RTPPacketBuilder.write` lays it out (marker clear).
        buffer[1] = payloadType
        Self.write(UInt32(sequence), byteCount: 2, into: buffer, at: 2)
        Self.write(timestamp, byteCount: 4, into: buffer, at: 4)
        Self.write(ssrc, byteCount: 4, into: buffer, at: 8)
        Self.write(absSendTime.rawValue, byteCount: 3, into: buffer, at: absSendTimeOffset)
        Self.write(UInt32(transportSequence), byteCount: 2, into: buffer, at: transportSequenceOffset)
        return bytes.count
    }

    /// Writes the low `byteCount` bytes of `value`, most significant first.
    private static func write(_ value: UInt32, byteCount: Int, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        for index in 0..<byteCount {
            buffer[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byteCount - 1 - index)))
        }
    }
}
