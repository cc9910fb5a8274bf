/// abs-send-time: 24-bit unsigned 6.18 fixed-point seconds (wraps every 64 s).
public struct AbsSendTime: Hashable, Sendable {
    /// The 24-bit wire value.
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue & 0xFF_FFFF }

    /// From a time in microseconds (any epoch); keeps the low 6 bits of whole seconds.
    public init(microseconds: UInt64) {
        self.init(rawValue: UInt32(truncatingIfNeeded: (microseconds << 18) / 1_000_000))
    }

    /// The value in microseconds within its 64-second period (rounded down).
    public var microseconds: UInt64 { (UInt64(rawValue) * 1_000_000) >> 18 }

    /// Decodes a 3-byte element value; nil for any other length.
    public init?(extensionValue: UnsafeRawBufferPointer) {
        guard extensionValue.count == 3 else { return nil }
        self.init(rawValue: readUInt24(extensionValue, 0))
    }

    /// The 3 value bytes.
    public var extensionValue: [UInt8] {
        [UInt8(truncatingIfNeeded: rawValue >> 16), UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue)]
    }
}
