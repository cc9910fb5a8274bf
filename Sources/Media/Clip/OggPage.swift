/// Ogg pages (RFC 3533) and their CRC: polynomial 0x04C11DB7, initial value 0, no reflection,
/// no final XOR, computed over the whole page with the CRC field set to zero.
public enum OggPage {
    /// Header type flags.
    public static let continued: UInt8 = 0x01, beginOfStream: UInt8 = 0x02, endOfStream: UInt8 = 0x04

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index) << 24
        for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        return crc
    }

    /// The Ogg CRC of `bytes`.
    public static func crc(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes { crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(byte)) & 0xFF)] }
        return crc
    }

    /// One page holding whole `packets` (their lacing values must fit in 255 segments).
    public static func page(packets: [[UInt8]], granulePosition: Int64, serial: UInt32, sequence: UInt32, flags: UInt8) -> [UInt8] {
        var lacing: [UInt8] = []
        for packet in packets {
            lacing.append(contentsOf: Array(repeating: 255, count: packet.count / 255))
            lacing.append(UInt8(packet.count % 255))
        }
        precondition(lacing.count <= 255, "too many segments for one Ogg page")
        var page: [UInt8] = Array("OggS".utf8)
        page.append(0)
        page.append(flags)
        LittleEndian.append(UInt64(bitPattern: granulePosition), to: &page)
        LittleEndian.append(serial, to: &page)
        LittleEndian.append(sequence, to: &page)
        LittleEndian.append(UInt32(0), to: &page)
        page.append(UInt8(lacing.count))
        page.append(contentsOf: lacing)
        for packet in packets { page.append(contentsOf: packet) }
        let checksum = crc(page)
        withUnsafeBytes(of: checksum.littleEndian) { raw in
            for index in 0..<4 { page[22 + index] = raw[index] }
        }
        return page
    }

    /// Number of lacing segments a packet needs.
    static func segments(_ packet: [UInt8]) -> Int { packet.count / 255 + 1 }
}
