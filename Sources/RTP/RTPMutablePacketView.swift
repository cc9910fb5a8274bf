/// A parsed view of an RTP packet in mutable borrowed memory, with in-place rewriting of the
/// fields an SFU changes when forwarding. Setters never change the packet length.
public struct RTPMutablePacketView {
    public let bytes: UnsafeMutableRawBufferPointer
    /// The header as parsed; setters do not update it.
    public let header: RTPHeader

    /// Parses `bytes` as an RTP packet.
    @inlinable
    public init(parsing bytes: UnsafeMutableRawBufferPointer) throws(RTPParseError) {
        self.header = try RTPHeader(parsing: UnsafeRawBufferPointer(bytes))
        self.bytes = bytes
    }

    /// A read-only view of the same packet.
    @inlinable
    public var view: RTPPacketView {
        // Already validated: rebuild without re-parsing.
        RTPPacketView(unchecked: UnsafeRawBufferPointer(bytes), header: header)
    }

    @inlinable
    public func setSSRC(_ ssrc: UInt32) { writeUInt32(bytes, 8, ssrc) }

    @inlinable
    public func setSequenceNumber(_ sequenceNumber: SequenceNumber) { writeUInt16(bytes, 2, sequenceNumber.rawValue) }

    @inlinable
    public func setTimestamp(_ timestamp: UInt32) { writeUInt32(bytes, 4, timestamp) }

    /// Sets the 7-bit payload type, keeping the marker bit.
    @inlinable
    public func setPayloadType(_ payloadType: UInt8) { bytes[1] = (bytes[1] & 0x80) | (payloadType & 0x7F) }

    @inlinable
    public func setMarker(_ marker: Bool) { bytes[1] = (bytes[1] & 0x7F) | (marker ? 0x80 : 0) }

    /// Overwrites the value of extension element `id` with `value`, which must have exactly the
    /// element's current length. Returns false (and writes nothing) when absent or sized differently.
    @inlinable
    @discardableResult
    public func overwriteExtension(id: UInt8, with value: UnsafeRawBufferPointer) -> Bool {
        guard let range = view.extensionRange(id: id), range.count == value.count else { return false }
        UnsafeMutableRawBufferPointer(rebasing: bytes[range]).copyMemory(from: value)
        return true
    }

    /// Rewrites a transport-wide-cc-01 sequence number in place. False when the element is absent or not 2 bytes.
    @inlinable
    @discardableResult
    public func setTransportWideSequenceNumber(_ sequenceNumber: UInt16, id: UInt8) -> Bool {
        guard let range = view.extensionRange(id: id), range.count == 2 else { return false }
        writeUInt16(bytes, range.lowerBound, sequenceNumber)
        return true
    }

    /// Rewrites an abs-send-time value in place. False when the element is absent or not 3 bytes.
    @inlinable
    @discardableResult
    public func setAbsSendTime(_ time: AbsSendTime, id: UInt8) -> Bool {
        guard let range = view.extensionRange(id: id), range.count == 3 else { return false }
        writeUInt24(bytes, range.lowerBound, time.rawValue)
        return true
    }
}

extension RTPMutablePacketView {
    /// Parses the packet held in `bytes` and runs `body` with a mutable view of it, for callers
    /// that keep packets in arrays. The view must not escape `body`.
    @inlinable
    public static func modify<Result>(
        _ bytes: inout [UInt8], _ body: (RTPMutablePacketView) -> Result
    ) throws(RTPParseError) -> Result {
        let outcome: Swift.Result<Result, RTPParseError> = bytes.withUnsafeMutableBytes { raw in
            do throws(RTPParseError) { return .success(body(try RTPMutablePacketView(parsing: raw))) } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
