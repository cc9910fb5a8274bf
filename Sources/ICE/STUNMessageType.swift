/// The class of a STUN message (RFC 8489 §5): the C1 and C0 bits of the message type.
public enum STUNMessageClass: UInt16, Hashable, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// A STUN message type: a 12-bit method and a class, interleaved on the wire as
/// `M11..M7 C1 M6..M4 C0 M3..M0` in the 14 low bits of the first 16-bit word (RFC 8489 §5).
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The 12-bit method; Binding is 0x001 (the only method ICE uses).
    public var method: UInt16
    public var messageClass: STUNMessageClass

    /// The Binding method (RFC 8489 §18.2).
    public static let bindingMethod: UInt16 = 0x001

    public static let bindingRequest = STUNMessageType(method: bindingMethod, messageClass: .request)
    public static let bindingIndication = STUNMessageType(method: bindingMethod, messageClass: .indication)
    public static let bindingSuccess = STUNMessageType(method: bindingMethod, messageClass: .successResponse)
    public static let bindingError = STUNMessageType(method: bindingMethod, messageClass: .errorResponse)

    /// Creates a message type; `method` is masked to 12 bits.
    public init(method: UInt16, messageClass: STUNMessageClass) {
        self.method = method & 0x0FFF
        self.messageClass = messageClass
    }

    /// Decodes the first 16-bit word of a STUN header (the two top bits must be zero; the
    /// parser checks that before calling this).
    public init(wireValue: UInt16) {
        let method = (wireValue & 0x000F) | (wireValue & 0x00E0) >> 1 | (wireValue & 0x3E00) >> 2
        let classBits = (wireValue & 0x0010) >> 4 | (wireValue & 0x0100) >> 7
        self.init(method: method, messageClass: STUNMessageClass(rawValue: classBits)!)
    }

    /// The first 16-bit word of the STUN header for this type.
    public var wireValue: UInt16 {
        let m = method
        let c = messageClass.rawValue
        return (m & 0x000F) | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (c & 0b01) << 4 | (c & 0b10) << 7
    }

    public var description: String {
        let name = method == Self.bindingMethod ? "Binding" : "method 0x\(String(method, radix: 16))"
        return "\(name) \(messageClass)"
    }
}
