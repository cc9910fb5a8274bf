/// Writes STUN messages into a buffer it keeps between messages (RFC 8489 §5, §14).
///
/// ```swift
/// var builder = STUNMessageBuilder()
/// builder.start(.bindingSuccess, transactionID: request.transactionID)
/// builder.append(.xorMappedAddress(source))
/// builder.appendMessageIntegrity(key: password)
/// builder.appendFingerprint()
/// send(builder.bytes)
/// ```
/// The header's length field is kept up to date after every append, so integrity and
/// fingerprint cover exactly what precedes them.
public struct STUNMessageBuilder: Sendable {
    /// The message written so far (header included).
    public private(set) var bytes: [UInt8]
    /// The byte used to pad attribute values to a multiple of 4. RFC 8489 §14 lets it be
    /// anything; RFC 5769's vectors use 0x20.
    public var paddingByte: UInt8

    public init(capacity: Int = 548, paddingByte: UInt8 = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
        self.paddingByte = paddingByte
    }

    /// Clears the buffer (keeping its storage) and writes a header.
    public mutating func start(_ type: STUNMessageType, transactionID: STUNTransactionID) {
        bytes.removeAll(keepingCapacity: true)
        bytes.appendBigEndian(type.wireValue)
        bytes.appendBigEndian(UInt16(0))
        bytes.appendBigEndian(STUNMessage.magicCookie)
        bytes.appendBigEndian(transactionID.high)
        bytes.appendBigEndian(transactionID.low)
    }

    /// Appends one attribute (padded) and updates the length field.
    public mutating func append(_ attribute: STUNAttribute) {
        switch attribute {
        case .username(let name):
            appendAttribute(.username, Array(name.utf8))
        case .software(let text):
            appendAttribute(.software, Array(text.utf8))
        case .xorMappedAddress(let address):
            appendAddress(.xorMappedAddress, address, xor: true)
        case .mappedAddress(let address):
            appendAddress(.mappedAddress, address, xor: false)
        case .errorCode(let error):
            var value: [UInt8] = [0, 0, UInt8(truncatingIfNeeded: error.code / 100 & 0x07), UInt8(truncatingIfNeeded: error.code % 100)]
            value.append(contentsOf: error.reason.utf8)
            appendAttribute(.errorCode, value)
        case .unknownAttributes(let types):
            var value: [UInt8] = []
            for type in types { value.appendBigEndian(type) }
            appendAttribute(.unknownAttributes, value)
        case .priority(let priority):
            appendFixed(.priority, priority)
        case .useCandidate:
            appendAttribute(.useCandidate, [])
        case .iceControlled(let tieBreaker):
            appendFixed(.iceControlled, tieBreaker)
        case .iceControlling(let tieBreaker):
            appendFixed(.iceControlling, tieBreaker)
        case .other(let type, let value):
            appendAttribute(type, value)
        }
    }

    /// Appends MESSAGE-INTEGRITY (HMAC-SHA1) or MESSAGE-INTEGRITY-SHA256 over everything written
    /// so far, keyed with `key` (the password's bytes for short-term credentials).
    public mutating func appendMessageIntegrity(_ algorithm: STUNIntegrityAlgorithm = .sha1, key: [UInt8]) {
        let offset = bytes.count
        appendAttribute(algorithm.attributeType, [UInt8](repeating: 0, count: algorithm.digestLength))
        bytes.withUnsafeMutableBytes { raw in
            let covered = UnsafeRawBufferPointer(rebasing: raw[0..<offset])
            let digest = UnsafeMutableRawBufferPointer(rebasing: raw[(offset + 4)...])
            key.withUnsafeBytes { algorithm.authenticate(covered, key: $0, into: digest) }
        }
    }

    /// Appends FINGERPRINT: CRC-32 of everything written so far XOR 0x5354554E (RFC 8489 §14.7).
    /// Must be the last attribute.
    public mutating func appendFingerprint() {
        let offset = bytes.count
        appendFixed(.fingerprint, UInt32(0))
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<offset])) }
        bytes.withUnsafeMutableBytes { $0.storeBigEndian(crc ^ STUNMessage.fingerprintXOR, at: offset + 4) }
    }

    private mutating func appendFixed<T: FixedWidthInteger>(_ type: STUNAttributeType, _ value: T) {
        bytes.appendBigEndian(type.rawValue)
        bytes.appendBigEndian(UInt16(MemoryLayout<T>.size))
        bytes.appendBigEndian(value)
        updateLength()
    }

    private mutating func appendAttribute(_ type: STUNAttributeType, _ value: [UInt8]) {
        bytes.appendBigEndian(type.rawValue)
        bytes.appendBigEndian(UInt16(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
        let padding = (4 - value.count % 4) % 4
        for _ in 0..<padding { bytes.append(paddingByte) }
        updateLength()
    }

    private mutating func appendAddress(_ type: STUNAttributeType, _ address: TransportAddress, xor: Bool) {
        let cookie = xor ? STUNMessage.magicCookie : 0
        var value: [UInt8] = [0]
        switch address.ip {
        case .v4(let ip):
            value.append(0x01)
            value.appendBigEndian(address.port ^ UInt16(truncatingIfNeeded: cookie >> 16))
            value.appendBigEndian(ip ^ cookie)
        case .v6(let high, let low):
            value.append(0x02)
            value.appendBigEndian(address.port ^ UInt16(truncatingIfNeeded: cookie >> 16))
            let transactionID = xor ? bytes.withUnsafeBytes { STUNTransactionID(reading: $0, at: 8) } : STUNTransactionID(high: 0, low: 0)
            value.appendBigEndian(high ^ (UInt64(cookie) << 32 | (xor ? UInt64(transactionID.high) : 0)))
            value.appendBigEndian(low ^ transactionID.low)
        }
        appendAttribute(type, value)
    }

    private mutating func updateLength() {
        let length = UInt16(truncatingIfNeeded: bytes.count - STUNMessage.headerLength)
        bytes.withUnsafeMutableBytes { $0.storeBigEndian(length, at: 2) }
    }
}

extension STUNMessage {
    /// Builds a whole message in one call: header, `attributes`, then MESSAGE-INTEGRITY when
    /// `integrityKey` is given and FINGERPRINT when `fingerprint` is true.
    public static func build(
        _ type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute],
        integrityKey: [UInt8]? = nil, fingerprint: Bool = true
    ) -> [UInt8] {
        var builder = STUNMessageBuilder()
        builder.start(type, transactionID: transactionID)
        for attribute in attributes { builder.append(attribute) }
        if let integrityKey { builder.appendMessageIntegrity(key: integrityKey) }
        if fingerprint { builder.appendFingerprint() }
        return builder.bytes
    }
}
