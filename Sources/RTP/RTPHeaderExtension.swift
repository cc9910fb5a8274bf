/// An owned header extension element for building packets (RFC 8285).
public struct RTPHeaderExtension: Hashable, Sendable {
    /// 1...14 fits the one-byte form; 15...255 needs the two-byte form.
    public var id: UInt8
    public var value: [UInt8]

    public init(id: UInt8, value: [UInt8]) {
        self.id = id
        self.value = value
    }
}
