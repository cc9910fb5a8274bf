/// Everything needed to write an RTP packet (RFC 3550 §5.1) with optional RFC 8285 extensions.
public struct RTPPacketBuilder: Hashable, Sendable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: SequenceNumber
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// At most 15.
    public var csrcs: [UInt32]
    /// Written as a one-byte block when every element allows it, else two-byte.
    public var extensions: [RTPHeaderExtension]
    /// Padding bytes to append (0 or 1...255, the last holding the count).
    public var paddingLength: Int

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: SequenceNumber, timestamp: UInt32,
        ssrc: UInt32, csrcs: [UInt32] = [], extensions: [RTPHeaderExtension] = [], paddingLength: Int = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.paddingLength = paddingLength
    }

    /// Header bytes (fixed header, CSRCs, extension block).
    public var headerLength: Int { 12 + 4 * csrcs.count + RTPHeaderExtensionWriter.encodedLength(of: extensions) }

    /// Total bytes for a packet with a payload of `payloadLength` bytes.
    public func encodedLength(payloadLength: Int) -> Int { headerLength + payloadLength + paddingLength }

    /// Writes header, `payload` and padding into `buffer`; returns the packet length.
    public func write(payload: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) throws(RTPBuildError) -> Int {
        guard csrcs.count <= 15, (0...255).contains(paddingLength), payloadType < 128 else { throw .invalidField }
        guard extensions.isEmpty || RTPHeaderExtensionWriter.form(for: extensions) != nil else { throw .invalidField }
        let total = encodedLength(payloadLength: payload.count)
        guard total <= buffer.count else { throw .bufferTooSmall(needed: total) }
        buffer[0] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (extensions.isEmpty ? 0 : 0x10) | UInt8(csrcs.count)
        buffer[1] = (marker ? 0x80 : 0) | payloadType
        writeUInt16(buffer, 2, sequenceNumber.rawValue)
        writeUInt32(buffer, 4, timestamp)
        writeUInt32(buffer, 8, ssrc)
        var offset = 12
        for csrc in csrcs {
            writeUInt32(buffer, offset, csrc)
            offset += 4
        }
        guard let written = RTPHeaderExtensionWriter.write(extensions, into: buffer, at: offset) else { throw .invalidField }
        offset += written
        if !payload.isEmpty {
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + payload.count)]).copyMemory(from: payload)
        }
        offset += payload.count
        if paddingLength > 0 {
            for index in offset..<(offset + paddingLength - 1) { buffer[index] = 0 }
            buffer[offset + paddingLength - 1] = UInt8(paddingLength)
            offset += paddingLength
        }
        return offset
    }

    /// The packet as a new array.
    public func build(payload: [UInt8]) throws(RTPBuildError) -> [UInt8] {
        let count = encodedLength(payloadLength: payload.count)
        var out = [UInt8](repeating: 0, count: count)
        let result: Result<Int, RTPBuildError> = payload.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { destination in
                do throws(RTPBuildError) { return .success(try write(payload: source, into: destination)) } catch {
                    return .failure(error)
                }
            }
        }
        _ = try result.get()
        return out
    }
}
