import RTP

/// Where the fields the engine writes into a forwarded copy sit in one received media packet:
/// the congestion-control header extensions (abs-send-time, transport-wide sequence number) and
/// the VP8 picture id and TL0PICIDX. Every consumer's copy is a byte-for-byte copy of the
/// received packet, so the offsets are found once per packet instead of re-parsing header,
/// extension block and payload descriptor for every copy. Writes are the same as
/// `RTPMutablePacketView`'s setters and `VP8PayloadDescriptor`'s rewrites at those offsets.
struct ForwardLayout {
    /// Offset of the 3-byte abs-send-time value, if the packet has one of that size.
    var absSendTime: Int?
    /// Offset of the 2-byte transport-wide sequence number, if the packet has one of that size.
    var transportSequence: Int?
    /// Offset of the VP8 picture id (7- or 15-bit, told apart by its M bit as it is written).
    var vp8PictureID: Int?
    /// Offset of the VP8 TL0PICIDX.
    var vp8TL0PictureIndex: Int?

    /// The offsets in a packet whose extensions were found as `extensions` and whose VP8 payload
    /// (nil for other payload formats) was read as `vp8`, starting at `payloadStart`.
    @inline(__always)
    init(extensions: ReceivedExtensions, vp8: VP8PacketReading?, payloadStart start: Int) {
        if let range = extensions.absSendTime, range.count == 3 { absSendTime = range.lowerBound }
        if let range = extensions.transportWideCC, range.count == 2 { transportSequence = range.lowerBound }
        guard let vp8 else { return }
        vp8PictureID = vp8.pictureIDOffset.map { start + $0 }
        vp8TL0PictureIndex = vp8.tl0PictureIndexOffset.map { start + $0 }
    }

    /// Rewrites the fixed header fields of a copy for a consumer (RFC 3550 §5.1 offsets).
    static func rewriteHeader(_ packet: UnsafeMutableRawBufferPointer, ssrc: UInt32, sequence: UInt16, timestamp: UInt32,
                              payloadType: UInt8) {
        packet[1] = (packet[1] & 0x80) | (payloadType & 0x7F)
        packet[2] = UInt8(truncatingIfNeeded: sequence >> 8)
        packet[3] = UInt8(truncatingIfNeeded: sequence)
        packet.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
        packet.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    /// Applies a payload rewrite at the known offsets.
    func apply(_ rewrite: PayloadRewrite, to packet: UnsafeMutableRawBufferPointer) {
        switch rewrite {
        case .none:
            break
        case .marker(let marker):
            packet[1] = (packet[1] & 0x7F) | (marker ? 0x80 : 0)
        case .vp8(let pictureID, let tl0):
            if let offset = vp8PictureID {
                if packet[offset] & 0x80 != 0 {
                    packet[offset] = 0x80 | UInt8(truncatingIfNeeded: pictureID >> 8) & 0x7F
                    packet[offset + 1] = UInt8(truncatingIfNeeded: pictureID)
                } else {
                    packet[offset] = UInt8(truncatingIfNeeded: pictureID) & 0x7F
                }
            }
            if let tl0, let offset = vp8TL0PictureIndex { packet[offset] = tl0 }
        }
    }
}
