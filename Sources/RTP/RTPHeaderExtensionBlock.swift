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

/// RFC 8285 header extension element forms.
public enum RTPHeaderExtensionForm: Hashable, Sendable {
    /// §4.2: 4-bit ID (1...14), 4-bit length-minus-one; profile 0xBEDE.
    case oneByte
    /// §4.3: 8-bit ID (1...255), 8-bit length; profile 0x100 + 4 app bits.
    case twoByte
    /// A profile-specific block that is not RFC 8285; elements are not iterated.
    case other
}

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

/// Non-allocating sequence of the elements in an RFC 8285 extension block. Iteration stops at
/// the end of the block, at a one-byte ID 15, or at an element that would run past the block.
public struct RTPHeaderExtensionElements: Sequence, IteratorProtocol {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset: Int
    @usableFromInline let end: Int
    @usableFromInline let form: RTPHeaderExtensionForm

    /// Elements of `block` within the packet `bytes`.
    @inlinable
    public init(block: RTPHeaderExtensionBlock, in bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = block.range.lowerBound
        self.end = Swift.min(block.range.upperBound, bytes.count)
        self.form = block.form
    }

    @inlinable
    public mutating func next() -> RTPHeaderExtensionElement? {
        switch form {
        case .other:
            return nil
        case .oneByte:
            while offset < end {
                let byte = bytes[offset]
                if byte == 0 { offset += 1; continue }  // padding
                let id = byte >> 4
                if id == 15 { offset = end; return nil }  // stop processing (RFC 8285 §4.2)
                let length = Int(byte & 0x0F) + 1
                let start = offset + 1
                guard start + length <= end else { offset = end; return nil }
                offset = start + length
                return RTPHeaderExtensionElement(id: id, range: start..<(start + length))
            }
            return nil
        case .twoByte:
            while offset < end {
                let id = bytes[offset]
                if id == 0 { offset += 1; continue }  // padding
                guard offset + 2 <= end else { offset = end; return nil }
                let length = Int(bytes[offset + 1])
                let start = offset + 2
                guard start + length <= end else { offset = end; return nil }
                offset = start + length
                return RTPHeaderExtensionElement(id: id, range: start..<(start + length))
            }
            return nil
        }
    }
}
