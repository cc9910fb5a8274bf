/// EBML element encoding (RFC 8794), the binary format Matroska and WebM are made of: an
/// element is its ID (1–4 bytes, marker bits included, as the specifications list it), its data
/// size as a variable-length integer, then its data.
///
/// Only what a muxer needs: every element is written with a known size (never the "unknown"
/// all-ones size), integers big-endian in the fewest bytes, floats as 8-byte IEEE 754.
public enum EBML {
    /// Largest data size a variable-length integer of 8 bytes can carry (2^56 − 2; all ones is "unknown").
    public static let maxSize: UInt64 = (1 << 56) - 2

    /// `value` as an EBML variable-length integer (VINT) of the fewest bytes, or of exactly
    /// `width` bytes when given: the length marker bit followed by the value, big-endian.
    public static func vint(_ value: UInt64, width: Int? = nil) -> [UInt8] {
        precondition(value <= maxSize, "EBML size \(value) is too large")
        var length = 1
        // 2^(7·length) − 1 is reserved (all value bits set means "unknown size").
        while value >= (UInt64(1) << (7 * UInt64(length))) - 1 { length += 1 }
        if let width {
            precondition(width >= length && width <= 8, "EBML size \(value) does not fit in \(width) bytes")
            length = width
        }
        let marked = value | (UInt64(1) << (7 * UInt64(length)))
        return (0..<length).reversed().map { UInt8(truncatingIfNeeded: marked >> (8 * UInt64($0))) }
    }

    /// The bytes of an element ID as written (its value includes the length marker).
    public static func id(_ id: UInt32) -> [UInt8] {
        let length = id > 0xFF_FFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1
        return (0..<length).reversed().map { UInt8(truncatingIfNeeded: id >> (8 * UInt32($0))) }
    }

    /// An element with `data` as its content (a master element's data is its children, concatenated).
    public static func element(_ id: UInt32, _ data: [UInt8]) -> [UInt8] {
        Self.id(id) + vint(UInt64(data.count)) + data
    }

    /// An unsigned integer element, big-endian in the fewest bytes (at least one), or in exactly
    /// `width` bytes (a value patched later must keep its size).
    public static func unsigned(_ id: UInt32, _ value: UInt64, width: Int? = nil) -> [UInt8] {
        var length = 1
        while length < 8 && value >> (8 * UInt64(length)) != 0 { length += 1 }
        if let width { length = max(length, width) }
        return element(id, (0..<length).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) })
    }

    /// A float element: 8-byte IEEE 754, big-endian.
    public static func float(_ id: UInt32, _ value: Double) -> [UInt8] {
        let bits = value.bitPattern
        return element(id, (0..<8).reversed().map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) })
    }

    /// A string element (ASCII or UTF-8), without a terminating zero.
    public static func string(_ id: UInt32, _ value: String) -> [UInt8] {
        element(id, Array(value.utf8))
    }
}
