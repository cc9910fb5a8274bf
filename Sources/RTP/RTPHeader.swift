/// The fixed RTP header fields plus the layout of one packet (RFC 3550 §5.1), parsed without
/// allocating. Offsets are relative to the start of the parsed buffer.
public struct RTPHeader: Hashable, Sendable {
    /// Always 2 for a parsed packet.
    public var version: UInt8
    /// P bit: the packet ends with padding of ``paddingLength`` bytes.
    public var hasPadding: Bool
    /// X bit: a header extension block follows the CSRC list.
    public var hasExtension: Bool
    /// M bit.
    public var marker: Bool
    /// 7-bit payload type.
    public var payloadType: UInt8
    public var sequenceNumber: SequenceNumber
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Number of CSRCs (0...15); read them with ``RTPPacketView/csrc(at:)``.
    public var csrcCount: Int
    /// Bytes from the start of the packet to the payload: fixed header, CSRCs and extension block.
    public var headerLength: Int
    /// The header extension block, when the X bit is set.
    public var extensionBlock: RTPHeaderExtensionBlock?
    /// Padding bytes at the end of the packet (including the count byte), 0 when P is clear.
    public var paddingLength: Int
    /// Total bytes of the packet as parsed.
    public var packetLength: Int

    /// Offsets of the payload (after header, before padding).
    @inlinable
    public var payloadRange: Range<Int> { headerLength..<(packetLength - paddingLength) }

    /// Payload size in bytes.
    @inlinable
    public var payloadLength: Int { packetLength - paddingLength - headerLength }

    /// Memberwise initializer, mainly for tests and builders.
    public init(
        version: UInt8 = 2, hasPadding: Bool, hasExtension: Bool, marker: Bool, payloadType: UInt8,
        sequenceNumber: SequenceNumber, timestamp: UInt32, ssrc: UInt32, csrcCount: Int,
        headerLength: Int, extensionBlock: RTPHeaderExtensionBlock?, paddingLength: Int, packetLength: Int
    ) {
        self.version = version
        self.hasPadding = hasPadding
        self.hasExtension = hasExtension
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcCount = csrcCount
        self.headerLength = headerLength
        self.extensionBlock = extensionBlock
        self.paddingLength = paddingLength
        self.packetLength = packetLength
    }

    /// Parses and validates the header of the packet in `bytes`. Never traps; never allocates.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPParseError) {
        let count = bytes.count
        guard count >= 12 else { throw .tooShort }
        let first = bytes[0]
        guard first >> 6 == 2 else { throw .badVersion }
        let csrcs = Int(first & 0x0F)
        var offset = 12 + 4 * csrcs
        guard offset <= count else { throw .tooShort }
        var block: RTPHeaderExtensionBlock? = nil
        let hasExtension = first & 0x10 != 0
        if hasExtension {
            guard offset + 4 <= count else { throw .badExtensionLength }
            let profile = readUInt16(bytes, offset)
            let words = Int(readUInt16(bytes, offset + 2))
            let start = offset + 4
            let end = start + 4 * words
            guard end <= count else { throw .badExtensionLength }
            block = RTPHeaderExtensionBlock(profile: profile, range: start..<end)
            offset = end
        }
        var padding = 0
        let hasPadding = first & 0x20 != 0
        if hasPadding {
            guard count > offset else { throw .badPadding }
            padding = Int(bytes[count - 1])
            guard padding > 0, padding <= count - offset else { throw .badPadding }
        }
        let second = bytes[1]
        self.init(
            hasPadding: hasPadding, hasExtension: hasExtension, marker: second & 0x80 != 0,
            payloadType: second & 0x7F, sequenceNumber: SequenceNumber(readUInt16(bytes, 2)),
            timestamp: readUInt32(bytes, 4), ssrc: readUInt32(bytes, 8), csrcCount: csrcs,
            headerLength: offset, extensionBlock: block, paddingLength: padding, packetLength: count)
    }

    /// Parses the header of a packet held in an array.
    @inlinable
    public init(parsing bytes: [UInt8]) throws(RTPParseError) {
        let result: Result<RTPHeader, RTPParseError> = bytes.withUnsafeBytes { raw in
            do throws(RTPParseError) { return .success(try RTPHeader(parsing: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }
}
