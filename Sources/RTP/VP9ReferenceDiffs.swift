/// Up to three 7-bit P_DIFF reference indices, stored inline (no allocation).
public struct VP9ReferenceDiffs: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private var first: UInt8 = 0
    private var second: UInt8 = 0
    private var third: UInt8 = 0
    public private(set) var count: Int = 0

    public init() {}

    /// At most the first three elements are kept.
    public init(arrayLiteral elements: UInt8...) {
        for element in elements.prefix(3) { append(element) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "VP9ReferenceDiffs index out of range")
        switch position {
        case 0: return first
        case 1: return second
        default: return third
        }
    }

    /// Appends a 7-bit difference; ignored beyond three.
    public mutating func append(_ diff: UInt8) {
        switch count {
        case 0: first = diff & 0x7F
        case 1: second = diff & 0x7F
        case 2: third = diff & 0x7F
        default: return
        }
        count += 1
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}
