/// A spatial layer resolution in the scalability structure.
public struct VP9Resolution: Hashable, Sendable {
    public var width: UInt16
    public var height: UInt16

    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }
}

/// One picture-group entry of the scalability structure.
public struct VP9PictureGroupEntry: Hashable, Sendable {
    public var temporalLayerID: UInt8
    public var isSwitchingUpPoint: Bool
    /// 0...3 reference differences.
    public var referenceDiffs: [UInt8]

    public init(temporalLayerID: UInt8, isSwitchingUpPoint: Bool, referenceDiffs: [UInt8]) {
        self.temporalLayerID = temporalLayerID
        self.isSwitchingUpPoint = isSwitchingUpPoint
        self.referenceDiffs = referenceDiffs
    }
}

/// The VP9 scalability structure (RFC 9628 §4.2.1): N_S|Y|G, resolutions, picture group.
public struct VP9ScalabilityStructure: Hashable, Sendable {
    /// N_S + 1, 1...8.
    public var spatialLayerCount: Int
    /// Per spatial layer, when Y is set (empty otherwise).
    public var resolutions: [VP9Resolution]
    /// The picture group description, when G is set.
    public var pictureGroup: [VP9PictureGroupEntry]?

    public init(spatialLayerCount: Int, resolutions: [VP9Resolution] = [], pictureGroup: [VP9PictureGroupEntry]? = nil) {
        self.spatialLayerCount = spatialLayerCount
        self.resolutions = resolutions
        self.pictureGroup = pictureGroup
    }

    /// Bytes of the structure.
    public var encodedLength: Int {
        1 + (resolutions.isEmpty ? 0 : 4 * spatialLayerCount)
            + (pictureGroup.map { 1 + $0.reduce(0) { $0 + 1 + $1.referenceDiffs.count } } ?? 0)
    }

    init(parsing payload: UnsafeRawBufferPointer, at offset: inout Int) throws(PayloadDescriptorParseError) {
        let count = payload.count
        guard offset < count else { throw .tooShort }
        let header = payload[offset]
        offset += 1
        spatialLayerCount = Int(header >> 5) + 1
        resolutions = []
        if header & 0x10 != 0 {
            guard offset + 4 * spatialLayerCount <= count else { throw .tooShort }
            for _ in 0..<spatialLayerCount {
                resolutions.append(VP9Resolution(width: readUInt16(payload, offset), height: readUInt16(payload, offset + 2)))
                offset += 4
            }
        }
        if header & 0x08 != 0 {
            guard offset < count else { throw .tooShort }
            let groupCount = Int(payload[offset])
            offset += 1
            var group: [VP9PictureGroupEntry] = []
            for _ in 0..<groupCount {
                guard offset < count else { throw .tooShort }
                let byte = payload[offset]
                let referenceCount = Int((byte >> 2) & 0x03)
                offset += 1
                guard offset + referenceCount <= count else { throw .tooShort }
                let diffs = (0..<referenceCount).map { payload[offset + $0] }
                offset += referenceCount
                group.append(VP9PictureGroupEntry(temporalLayerID: byte >> 5, isSwitchingUpPoint: byte & 0x10 != 0, referenceDiffs: diffs))
            }
            pictureGroup = group
        }
    }

    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        buffer[offset] = UInt8((spatialLayerCount - 1) & 0x07) << 5 | (resolutions.isEmpty ? 0 : 0x10) | (pictureGroup != nil ? 0x08 : 0)
        offset += 1
        if !resolutions.isEmpty {
            for index in 0..<spatialLayerCount {
                let resolution = index < resolutions.count ? resolutions[index] : VP9Resolution(width: 0, height: 0)
                writeUInt16(buffer, offset, resolution.width)
                writeUInt16(buffer, offset + 2, resolution.height)
                offset += 4
            }
        }
        if let pictureGroup {
            buffer[offset] = UInt8(truncatingIfNeeded: pictureGroup.count)
            offset += 1
            for entry in pictureGroup {
                buffer[offset] = (entry.temporalLayerID & 0x07) << 5 | (entry.isSwitchingUpPoint ? 0x10 : 0) | UInt8(entry.referenceDiffs.count & 0x03) << 2
                offset += 1
                for diff in entry.referenceDiffs {
                    buffer[offset] = diff
                    offset += 1
                }
            }
        }
    }
}
