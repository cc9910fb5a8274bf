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
                let id = byte >> 4
                if id == 0 { offset += 1; continue }  // padding byte (RFC 8285 §4.2; libwebrtc skips any ID 0)
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
