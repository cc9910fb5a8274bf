/// CRC-32 as used by the STUN FINGERPRINT attribute (RFC 8489 §14.7, which points to ITU-T
/// V.42 §8.1.1.6.2; the same CRC as Ethernet, zlib and PNG): reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF. Table-driven, one byte per step (Sarwate, "Computation
/// of cyclic redundancy checks via table look-up", CACM 1988). `CRC32.checksum("123456789")` is
/// 0xCBF43926, the standard check value.
public enum CRC32 {
    /// The 256-entry table for the reflected polynomial 0xEDB88320.
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// Array convenience for ``checksum(_:)-(UnsafeRawBufferPointer)``.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}
