/// One header extension element: its ID and where its value lies in the packet.
public struct RTPHeaderExtensionElement: Hashable, Sendable {
    public var id: UInt8
    /// Offsets of the element's value bytes in the packet.
    public var range: Range<Int>

    public init(id: UInt8, range: Range<Int>) {
        self.id = id
        self.range = range
    }
}
