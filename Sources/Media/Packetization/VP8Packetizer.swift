import RTP

/// Splits encoded VP8 frames into RTP payloads (RFC 7741), each starting with a payload
/// descriptor carrying a 15-bit PictureID, TL0PICIDX, the temporal layer id and the Y and N bits.
///
/// Keeps the PictureID and TL0PICIDX counters of one simulcast encoding.
public struct VP8Packetizer: Sendable {
    /// Largest RTP payload produced, descriptor included (default 1200 bytes).
    public let maxPayloadSize: Int
    private var pictureID: UInt16
    private var tl0PictureIndex: UInt8

    /// Creates a packetizer whose counters start at the given values (a sender picks them at random).
    public init(maxPayloadSize: Int = 1200, firstPictureID: UInt16 = 0, firstTL0PictureIndex: UInt8 = 0) {
        self.maxPayloadSize = maxPayloadSize
        self.pictureID = firstPictureID & 0x7FFF
        self.tl0PictureIndex = firstTL0PictureIndex &- 1
    }

    /// The RTP payloads of one frame, in order; the last one carries the marker bit.
    public mutating func packetize(_ frame: EncodedVideoFrame) -> [[UInt8]] {
        if frame.temporalLayer == 0 { tl0PictureIndex &+= 1 }
        var descriptor = VP8PayloadDescriptor(
            isNonReference: frame.isDiscardable, isStartOfPartition: true, partitionIndex: 0,
            pictureID: pictureID, pictureIDIs15Bit: true, tl0PictureIndex: tl0PictureIndex,
            temporalLayerID: UInt8(frame.temporalLayer), isLayerSync: frame.isLayerSync)
        pictureID = (pictureID &+ 1) & 0x7FFF
        let room = maxPayloadSize - descriptor.encodedLength
        let count = max(1, (frame.data.count + room - 1) / room)
        // Equal-sized fragments, as libwebrtc does, so no tiny trailing packet.
        let base = frame.data.count / count, extra = frame.data.count % count
        var payloads: [[UInt8]] = []
        payloads.reserveCapacity(count)
        var start = 0
        for index in 0..<count {
            let length = base + (index < extra ? 1 : 0)
            var payload = descriptor.bytes
            payload.append(contentsOf: frame.data[start..<(start + length)])
            payloads.append(payload)
            start += length
            descriptor.isStartOfPartition = false
        }
        return payloads
    }
}
