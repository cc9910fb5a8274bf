/// VP9 layer indices (RFC 9628 §4.2, L bit).
public struct VP9LayerIndices: Hashable, Sendable {
    /// TID, 0...7.
    public var temporalLayerID: UInt8
    /// U: switching up point.
    public var isSwitchingUpPoint: Bool
    /// SID, 0...7.
    public var spatialLayerID: UInt8
    /// D: depends on the lower spatial layer of the same picture.
    public var hasInterLayerDependency: Bool

    public init(temporalLayerID: UInt8, isSwitchingUpPoint: Bool = false, spatialLayerID: UInt8, hasInterLayerDependency: Bool = false) {
        self.temporalLayerID = temporalLayerID
        self.isSwitchingUpPoint = isSwitchingUpPoint
        self.spatialLayerID = spatialLayerID
        self.hasInterLayerDependency = hasInterLayerDependency
    }

    var byte: UInt8 {
        (temporalLayerID & 0x07) << 5 | (isSwitchingUpPoint ? 0x10 : 0) | (spatialLayerID & 0x07) << 1 | (hasInterLayerDependency ? 1 : 0)
    }
}
