/// Non-allocating iteration over the packets of an RTCP compound buffer. Yields each header,
/// or one error and then stops.
public struct RTCPCompoundIterator: Sequence, IteratorProtocol {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset = 0
    @usableFromInline var failed = false

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    public mutating func next() -> Result<RTCPPacketHeader, RTCPParseError>? {
        guard !failed, offset < bytes.count else { return nil }
        do throws(RTCPParseError) {
            let header = try RTCPPacketHeader(parsing: bytes, at: offset)
            offset = header.range.upperBound
            return .success(header)
        } catch {
            failed = true
            return .failure(error)
        }
    }
}
