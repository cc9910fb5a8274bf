/// A parsed, read-only view of an RTP packet in borrowed memory. Does not allocate; valid only
/// while `bytes` is.
public struct RTPPacketView {
    /// The whole packet.
    public let bytes: UnsafeRawBufferPointer
    /// The parsed header and layout.
    public let header: RTPHeader

    /// Parses `bytes` as an RTP packet.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPParseError) {
        self.header = try RTPHeader(parsing: bytes)
        self.bytes = bytes
    }

    /// The CSRC at `index` (0..<csrcCount), or nil when out of range.
    @inlinable
    public func csrc(at index: Int) -> UInt32? {
        guard index >= 0, index < header.csrcCount else { return nil }
        return readUInt32(bytes, 12 + 4 * index)
    }

    /// The payload bytes (between header and padding).
    @inlinable
    public var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[header.payloadRange]) }

    /// The header extension elements (empty when there is no RFC 8285 block).
    @inlinable
    public var extensionElements: RTPHeaderExtensionElements {
        RTPHeaderExtensionElements(
            block: header.extensionBlock ?? RTPHeaderExtensionBlock(profile: 0, range: 0..<0), in: bytes)
    }

    /// The value bytes of the first extension element with `id`, or nil.
    @inlinable
    public func extensionValue(id: UInt8) -> UnsafeRawBufferPointer? {
        guard let range = extensionRange(id: id) else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Offsets of the value of the first extension element with `id`, or nil.
    @inlinable
    public func extensionRange(id: UInt8) -> Range<Int>? {
        for element in extensionElements where element.id == id { return element.range }
        return nil
    }
}

extension RTPPacketView {
    /// Parses the packet held in `bytes` and runs `body` with a view of it, for callers that keep
    /// packets in arrays. The view must not escape `body`.
    @inlinable
    public static func inspect<Result>(
        _ bytes: [UInt8], _ body: (RTPPacketView) -> Result
    ) throws(RTPParseError) -> Result {
        let outcome: Swift.Result<Result, RTPParseError> = bytes.withUnsafeBytes { raw in
            do throws(RTPParseError) { return .success(body(try RTPPacketView(parsing: raw))) } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
