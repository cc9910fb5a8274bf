/// RTP retransmission payload format (RFC 4588 §4): the original sequence number (OSN) in the
/// first two payload bytes, followed by the original payload, on the RTX SSRC and payload type.
public enum RTX {
    /// Bytes needed to wrap `original` (header kept, 2 bytes of OSN added, padding dropped).
    public static func wrappedLength(of original: RTPHeader) -> Int { original.headerLength + 2 + original.payloadLength }

    /// Writes `original` as an RTX packet into `buffer` and returns its length. CSRCs, extensions,
    /// marker and timestamp are kept; padding is dropped.
    public static func wrap(
        _ original: UnsafeRawBufferPointer, ssrc: UInt32, payloadType: UInt8, sequenceNumber: SequenceNumber,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTPBuildError) -> Int {
        let header: RTPHeader
        do { header = try RTPHeader(parsing: original) } catch { throw .invalidField }
        let total = wrappedLength(of: header)
        guard total <= buffer.count else { throw .bufferTooSmall(needed: total) }
        let headerBytes = UnsafeRawBufferPointer(rebasing: original[0..<header.headerLength])
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<header.headerLength]).copyMemory(from: headerBytes)
        buffer[0] &= ~0x20  // no padding
        buffer[1] = (buffer[1] & 0x80) | (payloadType & 0x7F)
        writeUInt16(buffer, 2, sequenceNumber.rawValue)
        writeUInt32(buffer, 8, ssrc)
        writeUInt16(buffer, header.headerLength, header.sequenceNumber.rawValue)
        let payloadStart = header.headerLength + 2
        if header.payloadLength > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[payloadStart..<total])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: original[header.payloadRange]))
        }
        return total
    }

    /// Array convenience for ``wrap(_:ssrc:payloadType:sequenceNumber:into:)``.
    public static func wrap(_ original: [UInt8], ssrc: UInt32, payloadType: UInt8, sequenceNumber: SequenceNumber) throws(RTPBuildError) -> [UInt8] {
        try withOutput(capacity: original.count + 2) { (destination) throws(RTPBuildError) -> Int in
            let result: Result<Int, RTPBuildError> = original.withUnsafeBytes { source in
                do throws(RTPBuildError) {
                    return .success(try wrap(source, ssrc: ssrc, payloadType: payloadType, sequenceNumber: sequenceNumber, into: destination))
                } catch { return .failure(error) }
            }
            return try result.get()
        }
    }

    /// Restores the original packet from an RTX packet into `buffer`, with the original SSRC and
    /// payload type (known from signaling) and the OSN; returns its length.
    public static func unwrap(
        _ rtx: UnsafeRawBufferPointer, originalSSRC: UInt32, originalPayloadType: UInt8,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(RTPParseError) -> Int {
        let header = try RTPHeader(parsing: rtx)
        guard header.payloadLength >= 2 else { throw .tooShort }
        let total = header.headerLength + header.payloadLength - 2
        guard total <= buffer.count else { throw .tooShort }
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<header.headerLength])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: rtx[0..<header.headerLength]))
        buffer[0] &= ~0x20
        buffer[1] = (buffer[1] & 0x80) | (originalPayloadType & 0x7F)
        writeUInt16(buffer, 2, readUInt16(rtx, header.headerLength))
        writeUInt32(buffer, 8, originalSSRC)
        let start = header.headerLength + 2
        let end = header.packetLength - header.paddingLength
        if end > start {
            UnsafeMutableRawBufferPointer(rebasing: buffer[header.headerLength..<total])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rtx[start..<end]))
        }
        return total
    }

    /// Array convenience for ``unwrap(_:originalSSRC:originalPayloadType:into:)``.
    public static func unwrap(_ rtx: [UInt8], originalSSRC: UInt32, originalPayloadType: UInt8) throws(RTPParseError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rtx.count)
        let result: Result<Int, RTPParseError> = rtx.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { destination in
                do throws(RTPParseError) {
                    return .success(try unwrap(source, originalSSRC: originalSSRC, originalPayloadType: originalPayloadType, into: destination))
                } catch { return .failure(error) }
            }
        }
        out.removeSubrange(try result.get()...)
        return out
    }

    private static func withOutput(capacity: Int, _ body: (UnsafeMutableRawBufferPointer) throws(RTPBuildError) -> Int) throws(RTPBuildError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: capacity)
        let result: Result<Int, RTPBuildError> = out.withUnsafeMutableBytes { destination in
            do throws(RTPBuildError) { return .success(try body(destination)) } catch { return .failure(error) }
        }
        out.removeSubrange(try result.get()...)
        return out
    }
}
