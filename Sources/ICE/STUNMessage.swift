/// A parsed STUN message (RFC 8489 §5, §14): header, decoded attributes, and where the
/// integrity attributes sit so that they can be checked with a key afterwards.
///
/// Parsing checks the structure and the FINGERPRINT (when present) but not MESSAGE-INTEGRITY,
/// which needs the password: call ``hasValidIntegrity(_:key:in:)`` with the same bytes.
public struct STUNMessage: Hashable, Sendable {
    /// The magic cookie, 0x2112A442, in every RFC 5389/8489 message.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// The fixed header length.
    public static let headerLength = 20
    /// The value XORed into the CRC-32 of a FINGERPRINT attribute.
    public static let fingerprintXOR: UInt32 = 0x5354_554E

    public var type: STUNMessageType
    public var transactionID: STUNTransactionID
    /// The attributes in wire order, without MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
    /// FINGERPRINT, and without the attributes after MESSAGE-INTEGRITY that RFC 8489 §14.5 says
    /// to ignore.
    public var attributes: [STUNAttribute]
    /// Byte offset of the MESSAGE-INTEGRITY attribute header, if the message has one.
    public private(set) var messageIntegrityOffset: Int?
    /// Byte offset of the MESSAGE-INTEGRITY-SHA256 attribute header, if the message has one.
    public private(set) var messageIntegritySHA256Offset: Int?
    /// True when the message ends with a FINGERPRINT, which the parser has verified.
    public private(set) var hasFingerprint: Bool
    /// The whole message length, header included.
    public private(set) var length: Int

    /// Parses exactly one STUN message filling `bytes`. Never traps on any input.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(STUNParseError) {
        guard bytes.count >= Self.headerLength else { throw .tooShort }
        guard bytes[0] & 0xC0 == 0 else { throw .notSTUN }
        guard bytes.bigEndianUInt32(at: 4) == Self.magicCookie else { throw .badMagicCookie }
        let declared = Int(bytes.bigEndianUInt16(at: 2))
        guard declared % 4 == 0, declared + Self.headerLength == bytes.count else { throw .badLength }
        type = STUNMessageType(wireValue: bytes.bigEndianUInt16(at: 0))
        transactionID = STUNTransactionID(reading: bytes, at: 8)
        attributes = []
        messageIntegrityOffset = nil
        messageIntegritySHA256Offset = nil
        hasFingerprint = false
        length = bytes.count

        var offset = Self.headerLength
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw .truncatedAttribute }
            let attributeType = STUNAttributeType(rawValue: bytes.bigEndianUInt16(at: offset))
            let valueLength = Int(bytes.bigEndianUInt16(at: offset + 2))
            let valueStart = offset + 4
            let paddedEnd = valueStart + (valueLength + 3) & ~3
            guard paddedEnd <= bytes.count else { throw .truncatedAttribute }
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueStart + valueLength])
            switch attributeType {
            case .fingerprint:
                guard valueLength == 4 else { throw .malformedAttribute }
                guard paddedEnd == bytes.count else { throw .attributeAfterFingerprint }
                let expected = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<offset])) ^ Self.fingerprintXOR
                guard value.bigEndianUInt32(at: 0) == expected else { throw .badFingerprint }
                hasFingerprint = true
            case .messageIntegrity where messageIntegrityOffset == nil && messageIntegritySHA256Offset == nil:
                guard valueLength == STUNIntegrityAlgorithm.sha1.digestLength else { throw .malformedAttribute }
                messageIntegrityOffset = offset
            case .messageIntegritySHA256 where messageIntegritySHA256Offset == nil:
                guard valueLength == STUNIntegrityAlgorithm.sha256.digestLength else { throw .malformedAttribute }
                messageIntegritySHA256Offset = offset
            default:
                // RFC 8489 §14.5/§14.6: everything after an integrity attribute but the ones
                // above is ignored.
                if messageIntegrityOffset == nil && messageIntegritySHA256Offset == nil {
                    attributes.append(try Self.decode(attributeType, value, transactionID: transactionID))
                }
            }
            offset = paddedEnd
        }
    }

    /// Array convenience for ``init(parsing:)-(UnsafeRawBufferPointer)``.
    public init(parsing bytes: [UInt8]) throws(STUNParseError) {
        let result: Result<STUNMessage, STUNParseError> = bytes.withUnsafeBytes { raw in
            do throws(STUNParseError) { return .success(try STUNMessage(parsing: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// True when `bytes` (the bytes this message was parsed from) carry an integrity attribute of
    /// `algorithm` whose HMAC under `key` matches (RFC 8489 §14.5, §14.6).
    public func hasValidIntegrity(_ algorithm: STUNIntegrityAlgorithm = .sha1, key: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let offset = algorithm == .sha1 ? messageIntegrityOffset : messageIntegritySHA256Offset,
              offset >= Self.headerLength, offset + 4 + algorithm.digestLength <= bytes.count
        else { return false }
        return withUnsafeTemporaryAllocation(byteCount: offset + 32, alignment: 1) { scratch in
            let prefix = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<offset])
            prefix.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<offset]))
            // The length field covers the message up to and including this attribute.
            prefix.storeBigEndian(UInt16(offset - Self.headerLength + 4 + algorithm.digestLength), at: 2)
            let digest = UnsafeMutableRawBufferPointer(rebasing: scratch[offset..<offset + 32])
            key.withUnsafeBytes { algorithm.authenticate(UnsafeRawBufferPointer(prefix), key: $0, into: digest) }
            var difference: UInt8 = 0
            for index in 0..<algorithm.digestLength { difference |= digest[index] ^ bytes[offset + 4 + index] }
            return difference == 0
        }
    }

    /// Array convenience for ``hasValidIntegrity(_:key:in:)-(_,_,UnsafeRawBufferPointer)``.
    public func hasValidIntegrity(_ algorithm: STUNIntegrityAlgorithm = .sha1, key: [UInt8], in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { hasValidIntegrity(algorithm, key: key, in: $0) }
    }

    /// True when the message carries MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256.
    public var hasIntegrity: Bool { messageIntegrityOffset != nil || messageIntegritySHA256Offset != nil }
}
