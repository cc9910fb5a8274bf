import RTP

/// Splits VP9 pictures (one frame per spatial layer) into RTP payloads with the RFC 9628
/// non-flexible-mode descriptor: PictureID (15 bit), layer indices (TID, U, SID, D), TL0PICIDX,
/// B/E per layer frame, and the scalability structure (sizes and the 0-2-1-2 picture group) on
/// the first packet of every key picture.
public struct VP9Packetizer: Sendable {
    public let maxPayloadSize: Int
    /// Size of each spatial layer, lowest first (for the scalability structure).
    public let resolutions: [VP9Resolution]
    public let temporalLayers: Int
    private var pictureID: UInt16
    private var tl0PictureIndex: UInt8

    public init(resolutions: [VP9Resolution], temporalLayers: Int, maxPayloadSize: Int = 1200,
                firstPictureID: UInt16 = 0, firstTL0PictureIndex: UInt8 = 0) {
        self.resolutions = resolutions
        self.temporalLayers = temporalLayers
        self.maxPayloadSize = maxPayloadSize
        pictureID = firstPictureID & 0x7FFF
        tl0PictureIndex = firstTL0PictureIndex &- 1
    }

    /// The scalability structure sent on key pictures.
    public var scalabilityStructure: VP9ScalabilityStructure {
        let group: [VP9PictureGroupEntry] = temporalLayers == 3
            ? [VP9PictureGroupEntry(temporalLayerID: 0, isSwitchingUpPoint: false, referenceDiffs: [4]),
               VP9PictureGroupEntry(temporalLayerID: 2, isSwitchingUpPoint: true, referenceDiffs: [1]),
               VP9PictureGroupEntry(temporalLayerID: 1, isSwitchingUpPoint: true, referenceDiffs: [2]),
               VP9PictureGroupEntry(temporalLayerID: 2, isSwitchingUpPoint: false, referenceDiffs: [1])]
            : [VP9PictureGroupEntry(temporalLayerID: 0, isSwitchingUpPoint: false, referenceDiffs: [1])]
        return VP9ScalabilityStructure(spatialLayerCount: resolutions.count, resolutions: resolutions, pictureGroup: group)
    }

    /// The payloads of one picture, layer by layer; each element is (spatial layer, payload).
    public mutating func packetize(_ layers: [EncodedVideoFrame]) -> [(spatialLayer: Int, payload: [UInt8])] {
        guard let first = layers.first else { return [] }
        if first.temporalLayer == 0 { tl0PictureIndex &+= 1 }
        var result: [(Int, [UInt8])] = []
        for layer in layers {
            var descriptor = VP9PayloadDescriptor(
                isInterPicturePredicted: !layer.isKeyFrame, isFlexibleMode: false, isStartOfFrame: true, isEndOfFrame: false,
                pictureID: pictureID, pictureIDIs15Bit: true,
                layerIndices: VP9LayerIndices(temporalLayerID: UInt8(layer.temporalLayer),
                                              isSwitchingUpPoint: !layer.isKeyFrame && layer.isLayerSync && layer.temporalLayer > 0,
                                              spatialLayerID: UInt8(layer.spatialLayer), hasInterLayerDependency: layer.spatialLayer > 0),
                tl0PictureIndex: tl0PictureIndex,
                scalabilityStructure: layer.isKeyFrame && layer.spatialLayer == 0 ? scalabilityStructure : nil)
            var start = 0
            while start < layer.data.count {
                let room = maxPayloadSize - descriptor.encodedLength
                let remaining = layer.data.count - start
                let fragments = (remaining + room - 1) / room
                let length = (remaining + fragments - 1) / fragments
                descriptor.isEndOfFrame = start + length == layer.data.count
                result.append((layer.spatialLayer, descriptor.bytes + layer.data[start..<(start + length)]))
                start += length
                descriptor.isStartOfFrame = false
                descriptor.scalabilityStructure = nil
            }
        }
        pictureID = (pictureID &+ 1) & 0x7FFF
        return result
    }
}
