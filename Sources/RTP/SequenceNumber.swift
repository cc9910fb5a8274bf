/// A 16-bit RTP sequence number with wrap-aware ordering (RFC 3550 §A.1).
///
/// `a < b` means `b` is newer than `a` by less than half the number space; this ordering is
/// only meaningful between numbers less than 32768 apart, as RTP intends.
public struct SequenceNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// Steps from `self` forward to `other`, in -32768...32767.
    @inlinable
    public func distance(to other: SequenceNumber) -> Int {
        Int(Int16(bitPattern: other.rawValue &- rawValue))
    }

    /// The number `count` steps later (wrapping).
    @inlinable
    public func advanced(by count: Int) -> SequenceNumber {
        SequenceNumber(rawValue &+ UInt16(truncatingIfNeeded: count))
    }

    /// True when `self` is newer than `other` (wrap-aware).
    @inlinable
    public func isNewer(than other: SequenceNumber) -> Bool { other.distance(to: self) > 0 }

    @inlinable
    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs.distance(to: rhs) > 0 }

    public var description: String { String(rawValue) }
}

/// Extends 16-bit sequence numbers to a monotonic 64-bit count across wraps (RFC 3550 §A.1).
public struct SequenceNumberUnwrapper: Sendable {
    private var last: Int64?

    public init() {}

    /// The extended value of `sequence`, relative to the last one seen (older packets map below it).
    @inlinable
    public mutating func unwrap(_ sequence: UInt16) -> Int64 {
        guard let previous = lastValue else {
            setLast(Int64(sequence))
            return Int64(sequence)
        }
        let delta = Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: previous)))
        let extended = previous + delta
        if extended > previous { setLast(extended) }
        return extended
    }

    @usableFromInline var lastValue: Int64? { last }
    @usableFromInline mutating func setLast(_ value: Int64) { last = value }
}
