import Engine
import RTP

/// Builds VP9 SVC RTP packets (RFC 9628 descriptor in non-flexible mode + filler) for tests:
/// every picture carries `spatialLayers` layer frames (K-SVC: inter-layer dependency only on key
/// pictures), temporal pattern 0,2,1,2 (L?T3), the marker on the last packet of the picture.
struct SyntheticVP9Stream {
    var ssrc: UInt32
    var payloadType: UInt8 = 103
    var sequence: UInt16
    var pictureID: UInt16 = 0
    var tl0: UInt8 = 0
    var frameIndex = 0
    var spatialLayers = 3
    /// Key picture every this many pictures (and at picture 0).
    var keyFrameInterval = 60
    var packetsPerLayer = 2
    var payloadBytes = 300

    init(ssrc: UInt32, sequence: UInt16 = 1_000) {
        self.ssrc = ssrc
        self.sequence = sequence
    }

    /// The packets of the next picture, captured at `timestamp` (90 kHz), lowest spatial layer first.
    mutating func nextPicture(timestamp: UInt32, forceKeyFrame: Bool = false) -> [[UInt8]] {
        let isKey = forceKeyFrame || frameIndex % keyFrameInterval == 0
        let tid = isKey ? 0 : SyntheticVP8Stream.temporalLayer(ofFrame: frameIndex)
        if tid == 0 { tl0 &+= 1 }
        var packets: [[UInt8]] = []
        for sid in 0..<spatialLayers {
            for index in 0..<packetsPerLayer {
                let descriptor = VP9PayloadDescriptor(
                    isInterPicturePredicted: !isKey, isFlexibleMode: false,
                    isStartOfFrame: index == 0, isEndOfFrame: index == packetsPerLayer - 1,
                    pictureID: pictureID & 0x7FFF, pictureIDIs15Bit: true,
                    layerIndices: VP9LayerIndices(temporalLayerID: tid, isSwitchingUpPoint: tid > 0,
                                                  spatialLayerID: UInt8(sid), hasInterLayerDependency: isKey && sid > 0),
                    tl0PictureIndex: tl0)
                var payload = descriptor.bytes
                payload.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: frameIndex), count: payloadBytes * (sid + 1)))
                let isLast = sid == spatialLayers - 1 && index == packetsPerLayer - 1
                let builder = RTPPacketBuilder(marker: isLast, payloadType: payloadType,
                                               sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc)
                packets.append(try! builder.build(payload: payload))
                sequence &+= 1
            }
        }
        pictureID &+= 1
        frameIndex += 1
        return packets
    }
}
