/// RFC 8285 header extension element forms.
public enum RTPHeaderExtensionForm: Hashable, Sendable {
    /// §4.2: 4-bit ID (1...14), 4-bit length-minus-one; profile 0xBEDE.
    case oneByte
    /// §4.3: 8-bit ID (1...255), 8-bit length; profile 0x100 + 4 app bits.
    case twoByte
    /// A profile-specific block that is not RFC 8285; elements are not iterated.
    case other
}
