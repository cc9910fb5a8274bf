/// Helpers for writing one RTCP packet into a byte array.
enum RTCPWriter {
    /// Appends a common header with a placeholder length; returns the packet's start offset.
    static func begin(_ bytes: inout [UInt8], countOrFormat: UInt8, packetType: UInt8) -> Int {
        let start = bytes.count
        bytes.append(0x80 | (countOrFormat & 0x1F))
        bytes.append(packetType)
        bytes.appendUInt16(0)
        return start
    }

    /// Zero-pads to a 32-bit boundary and fills in the length field.
    static func finish(_ bytes: inout [UInt8], start: Int) {
        while (bytes.count - start) % 4 != 0 { bytes.append(0) }
        let words = (bytes.count - start) / 4 - 1
        bytes[start + 2] = UInt8(truncatingIfNeeded: words >> 8)
        bytes[start + 3] = UInt8(truncatingIfNeeded: words)
    }
}
