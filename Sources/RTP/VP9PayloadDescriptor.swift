/// The VP9 RTP payload descriptor (RFC 9628 §4.2), flexible and non-flexible modes.
///
/// ```
///  I|P|L|F|B|E|V|Z          required
///  M|PictureID(7/15)        if I
///  TID(3)|U|SID(3)|D        if L
///  TL0PICIDX                if L and not F
///  P_DIFF(7)|N  (×1...3)    if F and P
///  scalability structure    if V
/// ```
/// Parsing does not allocate unless a scalability structure (V=1, usually key frames) is present.
public struct VP9PayloadDescriptor: Hashable, Sendable {
    /// P: inter-picture predicted (not a key/intra picture of its layer).
    public var isInterPicturePredicted: Bool
    /// F: flexible mode (reference indices in the descriptor) rather than non-flexible (TL0PICIDX).
    public var isFlexibleMode: Bool
    /// B: first packet of a layer frame.
    public var isStartOfFrame: Bool
    /// E: last packet of a layer frame.
    public var isEndOfFrame: Bool
    /// Z: not used as reference by upper spatial layers.
    public var isNotReferenceForUpperSpatialLayers: Bool
    /// PictureID, when I is set.
    public var pictureID: UInt16?
    /// M: PictureID is 15 bits (2 bytes) rather than 7.
    public var pictureIDIs15Bit: Bool
    /// Layer indices, when L is set.
    public var layerIndices: VP9LayerIndices?
    /// TL0PICIDX: present in non-flexible mode when L is set.
    public var tl0PictureIndex: UInt8?
    /// P_DIFF reference indices (flexible mode with P set), 1...3 of them.
    public var referenceDiffs: VP9ReferenceDiffs
    /// The scalability structure, when V is set.
    public var scalabilityStructure: VP9ScalabilityStructure?

    public init(
        isInterPicturePredicted: Bool, isFlexibleMode: Bool, isStartOfFrame: Bool, isEndOfFrame: Bool,
        isNotReferenceForUpperSpatialLayers: Bool = false, pictureID: UInt16? = nil, pictureIDIs15Bit: Bool = true,
        layerIndices: VP9LayerIndices? = nil, tl0PictureIndex: UInt8? = nil,
        referenceDiffs: VP9ReferenceDiffs = VP9ReferenceDiffs(), scalabilityStructure: VP9ScalabilityStructure? = nil
    ) {
        self.isInterPicturePredicted = isInterPicturePredicted
        self.isFlexibleMode = isFlexibleMode
        self.isStartOfFrame = isStartOfFrame
        self.isEndOfFrame = isEndOfFrame
        self.isNotReferenceForUpperSpatialLayers = isNotReferenceForUpperSpatialLayers
        self.pictureID = pictureID
        self.pictureIDIs15Bit = pictureIDIs15Bit
        self.layerIndices = layerIndices
        self.tl0PictureIndex = tl0PictureIndex
        self.referenceDiffs = referenceDiffs
        self.scalabilityStructure = scalabilityStructure
    }

    /// True for the first packet of a key frame: P=0, spatial layer 0 (or no layer indices), B=1.
    public var isKeyFrame: Bool {
        !isInterPicturePredicted && (layerIndices?.spatialLayerID ?? 0) == 0 && isStartOfFrame
    }

    /// Parses the descriptor at the start of an RTP payload. Never traps.
    public init(parsing payload: UnsafeRawBufferPointer) throws(PayloadDescriptorParseError) {
        let count = payload.count
        guard count >= 1 else { throw .tooShort }
        let first = payload[0]
        self.init(
            isInterPicturePredicted: first & 0x40 != 0, isFlexibleMode: first & 0x10 != 0,
            isStartOfFrame: first & 0x08 != 0, isEndOfFrame: first & 0x04 != 0,
            isNotReferenceForUpperSpatialLayers: first & 0x01 != 0)
        var offset = 1
        if first & 0x80 != 0 {
            guard offset < count else { throw .tooShort }
            if payload[offset] & 0x80 != 0 {
                guard offset + 1 < count else { throw .tooShort }
                pictureID = UInt16(payload[offset] & 0x7F) << 8 | UInt16(payload[offset + 1])
                offset += 2
            } else {
                pictureID = UInt16(payload[offset])
                pictureIDIs15Bit = false
                offset += 1
            }
        }
        if first & 0x20 != 0 {
            guard offset < count else { throw .tooShort }
            let byte = payload[offset]
            layerIndices = VP9LayerIndices(
                temporalLayerID: byte >> 5, isSwitchingUpPoint: byte & 0x10 != 0,
                spatialLayerID: (byte >> 1) & 0x07, hasInterLayerDependency: byte & 0x01 != 0)
            offset += 1
            if !isFlexibleMode {
                guard offset < count else { throw .tooShort }
                tl0PictureIndex = payload[offset]
                offset += 1
            }
        }
        if isFlexibleMode && isInterPicturePredicted {
            while true {
                guard offset < count else { throw .tooShort }
                guard referenceDiffs.count < 3 else { throw .malformed }
                let byte = payload[offset]
                referenceDiffs.append(byte >> 1)
                offset += 1
                if byte & 0x01 == 0 { break }
            }
        }
        if first & 0x02 != 0 {
            let structure = try VP9ScalabilityStructure(parsing: payload, at: &offset)
            scalabilityStructure = structure
        }
    }

    /// Array convenience for ``init(parsing:)-(UnsafeRawBufferPointer)``.
    public init(parsing payload: [UInt8]) throws(PayloadDescriptorParseError) {
        let result: Result<Self, PayloadDescriptorParseError> = payload.withUnsafeBytes { raw in
            do throws(PayloadDescriptorParseError) { return .success(try Self(parsing: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Bytes of the descriptor; the VP9 payload starts here.
    public var encodedLength: Int {
        var length = 1
        if pictureID != nil { length += pictureIDIs15Bit ? 2 : 1 }
        if layerIndices != nil { length += isFlexibleMode ? 1 : 2 }
        if isFlexibleMode && isInterPicturePredicted { length += Swift.max(referenceDiffs.count, 1) }
        if let scalabilityStructure { length += scalabilityStructure.encodedLength }
        return length
    }
}
