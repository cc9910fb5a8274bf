import Engine
import RTP

/// Builds VP8-like RTP packets (RFC 7741 descriptor + one VP8 header byte + filler) for tests.
struct SyntheticVP8Stream {
    var ssrc: UInt32
    var payloadType: UInt8 = 101
    var sequence: UInt16
    var pictureID: UInt16 = 0
    var tl0: UInt8 = 0
    var frameIndex = 0
    /// Key frame every this many frames (and at frame 0).
    var keyFrameInterval = 60
    var packetsPerFrame = 2
    var payloadBytes = 400

    init(ssrc: UInt32, sequence: UInt16 = 1_000) {
        self.ssrc = ssrc
        self.sequence = sequence
    }

    /// L1T3 temporal pattern 0,2,1,2.
    static func temporalLayer(ofFrame index: Int) -> UInt8 {
        switch index % 4 {
        case 0: 0
        case 2: 1
        default: 2
        }
    }

    /// The packets of the next frame, captured at `timestamp` (90 kHz).
    mutating func nextFrame(timestamp: UInt32, forceKeyFrame: Bool = false) -> [[UInt8]] {
        let isKey = forceKeyFrame || frameIndex % keyFrameInterval == 0
        let tid = isKey ? 0 : Self.temporalLayer(ofFrame: frameIndex)
        if tid == 0 { tl0 &+= 1 }
        var packets: [[UInt8]] = []
        for index in 0..<packetsPerFrame {
            let descriptor = VP8PayloadDescriptor(
                isNonReference: tid == 2, isStartOfPartition: index == 0, partitionIndex: 0,
                pictureID: pictureID & 0x7FFF, pictureIDIs15Bit: true, tl0PictureIndex: tl0,
                temporalLayerID: tid, isLayerSync: tid > 0, keyIndex: nil)
            var payload = descriptor.bytes
            payload.append(index == 0 ? (isKey ? 0x10 : 0x11) : 0x00)
            payload.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: frameIndex), count: payloadBytes))
            let builder = RTPPacketBuilder(marker: index == packetsPerFrame - 1, payloadType: payloadType,
                                           sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc)
            packets.append(try! builder.build(payload: payload))
            sequence &+= 1
        }
        pictureID &+= 1
        frameIndex += 1
        return packets
    }
}
