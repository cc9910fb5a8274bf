/// SDES-string extensions carried in RTP (mid RFC 9143, rid / repaired-rid RFC 8852).
public enum SDESStringExtension {
    /// Decodes an ASCII value; nil when empty or non-ASCII. Allocates the string.
    public static func decode(_ value: UnsafeRawBufferPointer) -> String? {
        guard !value.isEmpty, value.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    /// True when `value` equals `string`'s UTF-8 bytes; does not allocate.
    public static func matches(_ value: UnsafeRawBufferPointer, _ string: String) -> Bool {
        var utf8 = string.utf8.makeIterator()
        for byte in value {
            guard utf8.next() == byte else { return false }
        }
        return utf8.next() == nil
    }

    /// The value bytes of an ASCII identifier; nil when empty, non-ASCII or over 255 bytes.
    public static func encode(_ string: String) -> [UInt8]? {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes
    }
}
