extension RTPMutablePacketView {
    /// Rewrites header extension IDs in place, e.g. from a producer's `a=extmap` IDs to a
    /// consumer's. `mapping` returns the new ID, or nil to remove the element: its bytes become
    /// zero padding, which RFC 8285 §4.2/§4.3 parsers skip. Nothing is written (and false is
    /// returned) when the block is not RFC 8285 or a new ID does not fit the block's form
    /// (1...14 for one-byte, 1...255 for two-byte). The packet length never changes.
    @inlinable
    @discardableResult
    public func remapExtensionIDs(_ mapping: (UInt8) -> UInt8?) -> Bool {
        guard let block = header.extensionBlock else { return true }
        let form = block.form
        let headerSize: Int
        let maximumID: UInt8
        switch form {
        case .oneByte: headerSize = 1; maximumID = 14
        case .twoByte: headerSize = 2; maximumID = 255
        case .other: return false
        }
        let readOnly = UnsafeRawBufferPointer(bytes)
        for element in RTPHeaderExtensionElements(block: block, in: readOnly) {
            if let newID = mapping(element.id), newID == 0 || newID > maximumID { return false }
        }
        for element in RTPHeaderExtensionElements(block: block, in: readOnly) {
            let start = element.range.lowerBound - headerSize
            if let newID = mapping(element.id) {
                bytes[start] = form == .oneByte ? (newID << 4) | (bytes[start] & 0x0F) : newID
            } else {
                for index in start..<element.range.upperBound { bytes[index] = 0 }
            }
        }
        return true
    }
}
