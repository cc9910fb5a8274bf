/// The 96-bit transaction ID of a STUN message (RFC 8489 §6), as 12 bytes in wire order.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// The first 4 bytes, big-endian.
    public var high: UInt32
    /// The last 8 bytes, big-endian.
    public var low: UInt64

    public init(high: UInt32, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an ID from exactly 12 bytes; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 12 else { return nil }
        self = bytes.withUnsafeBytes { Self(reading: $0, at: 0) }
    }

    /// A uniformly random ID drawn from `generator` (RFC 8489 §6 asks for a cryptographically
    /// random ID; in this lab the caller decides what generator that is).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> STUNTransactionID {
        STUNTransactionID(high: UInt32.random(in: .min ... .max, using: &generator), low: generator.next())
    }

    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        high = bytes.bigEndianUInt32(at: offset)
        low = bytes.bigEndianUInt64(at: offset + 4)
    }

    /// The 12 bytes in wire order.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12)
        out.appendBigEndian(high)
        out.appendBigEndian(low)
        return out
    }

    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
