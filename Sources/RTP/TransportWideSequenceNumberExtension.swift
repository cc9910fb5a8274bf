/// transport-wide-cc-01: a 16-bit transport-wide sequence number.
public enum TransportWideSequenceNumberExtension {
    /// Decodes a 2-byte element value; nil for any other length.
    public static func decode(_ value: UnsafeRawBufferPointer) -> UInt16? {
        value.count == 2 ? readUInt16(value, 0) : nil
    }

    public static func encode(_ sequenceNumber: UInt16) -> [UInt8] {
        [UInt8(truncatingIfNeeded: sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber)]
    }
}
