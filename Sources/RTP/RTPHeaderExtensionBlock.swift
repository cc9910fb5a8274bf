/// Location of an RTP header extension block (RFC 3550 §5.3.1, RFC 8285 §4) inside a packet.
public struct RTPHeaderExtensionBlock: Hashable, Sendable {
    /// The 16-bit "defined by profile" field: 0xBEDE for one-byte, 0x100x for two-byte elements.
    public var profile: UInt16
    /// Offsets of the extension data (after the 4-byte block header), a multiple of 4 bytes long.
    public var range: Range<Int>

    public init(profile: UInt16, range: Range<Int>) {
        self.profile = profile
        self.range = range
    }

    /// Which RFC 8285 element form the block uses, from its profile field.
    @inlinable
    public var form: RTPHeaderExtensionForm {
        if profile == 0xBEDE { return .oneByte }
        if profile & 0xFFF0 == 0x1000 { return .twoByte }
        return .other
    }
}
