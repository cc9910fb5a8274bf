// Typed access to the attributes of a parsed message, and the per-attribute decoder.

extension STUNMessage {
    /// The USERNAME, if present.
    public var username: String? {
        for case .username(let value) in attributes { return value }
        return nil
    }

    /// The PRIORITY, if present.
    public var priority: UInt32? {
        for case .priority(let value) in attributes { return value }
        return nil
    }

    /// True when USE-CANDIDATE is present.
    public var useCandidate: Bool { attributes.contains(.useCandidate) }

    /// The tie-breaker of ICE-CONTROLLING, if present.
    public var iceControlling: UInt64? {
        for case .iceControlling(let value) in attributes { return value }
        return nil
    }

    /// The tie-breaker of ICE-CONTROLLED, if present.
    public var iceControlled: UInt64? {
        for case .iceControlled(let value) in attributes { return value }
        return nil
    }

    /// The XOR-MAPPED-ADDRESS, if present.
    public var xorMappedAddress: TransportAddress? {
        for case .xorMappedAddress(let value) in attributes { return value }
        return nil
    }

    /// The ERROR-CODE, if present.
    public var errorCode: STUNErrorCode? {
        for case .errorCode(let value) in attributes { return value }
        return nil
    }

    /// Comprehension-required attribute types (0x0000–0x7FFF) this codec does not decode; a
    /// request carrying any must be answered with 420 (RFC 8489 §6.3.1).
    public var unknownComprehensionRequiredTypes: [UInt16] {
        attributes.compactMap { attribute in
            if case .other(let type, _) = attribute, type.isComprehensionRequired { return type.rawValue }
            return nil
        }
    }

    static func decode(
        _ type: STUNAttributeType, _ value: UnsafeRawBufferPointer, transactionID: STUNTransactionID
    ) throws(STUNParseError) -> STUNAttribute {
        switch type {
        case .username:
            guard value.count <= 513 else { throw .malformedAttribute }
            return .username(try text(value))
        case .software:
            guard value.count <= 763 else { throw .malformedAttribute }
            return .software(try text(value))
        case .xorMappedAddress:
            return .xorMappedAddress(try address(value, xor: transactionID))
        case .mappedAddress:
            return .mappedAddress(try address(value, xor: nil))
        case .errorCode:
            guard value.count >= 4, value.count <= 767 else { throw .malformedAttribute }
            let errorClass = UInt16(value[2] & 0x07)
            let number = UInt16(value[3])
            guard (3...6).contains(errorClass), number < 100 else { throw .malformedAttribute }
            let reason = try text(UnsafeRawBufferPointer(rebasing: value[4...]))
            return .errorCode(STUNErrorCode(code: errorClass * 100 + number, reason: reason))
        case .unknownAttributes:
            guard value.count % 2 == 0 else { throw .malformedAttribute }
            return .unknownAttributes(stride(from: 0, to: value.count, by: 2).map { value.bigEndianUInt16(at: $0) })
        case .priority:
            guard value.count == 4 else { throw .malformedAttribute }
            return .priority(value.bigEndianUInt32(at: 0))
        case .useCandidate:
            guard value.isEmpty else { throw .malformedAttribute }
            return .useCandidate
        case .iceControlled:
            guard value.count == 8 else { throw .malformedAttribute }
            return .iceControlled(tieBreaker: value.bigEndianUInt64(at: 0))
        case .iceControlling:
            guard value.count == 8 else { throw .malformedAttribute }
            return .iceControlling(tieBreaker: value.bigEndianUInt64(at: 0))
        default:
            return .other(type: type, value: Array(value))
        }
    }

    private static func text(_ value: UnsafeRawBufferPointer) throws(STUNParseError) -> String {
        guard let string = String(validating: value, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }

    /// Decodes (XOR-)MAPPED-ADDRESS (RFC 8489 §14.1, §14.2); `xor` is the transaction ID for the
    /// XOR form, nil for the plain one.
    private static func address(_ value: UnsafeRawBufferPointer, xor transactionID: STUNTransactionID?) throws(STUNParseError) -> TransportAddress {
        guard value.count >= 4 else { throw .malformedAttribute }
        let cookie = transactionID == nil ? 0 : magicCookie
        let port = value.bigEndianUInt16(at: 2) ^ UInt16(truncatingIfNeeded: cookie >> 16)
        switch value[1] {
        case 0x01:
            guard value.count == 8 else { throw .malformedAttribute }
            return TransportAddress(ip: .v4(value.bigEndianUInt32(at: 4) ^ cookie), port: port)
        case 0x02:
            guard value.count == 20 else { throw .malformedAttribute }
            let highMask = transactionID.map { UInt64(magicCookie) << 32 | UInt64($0.high) } ?? 0
            let lowMask = transactionID?.low ?? 0
            return TransportAddress(
                ip: .v6(high: value.bigEndianUInt64(at: 4) ^ highMask, low: value.bigEndianUInt64(at: 12) ^ lowMask),
                port: port)
        default:
            throw .malformedAttribute
        }
    }
}
