/// A first-in first-out ring buffer with a running byte count, reusing its storage
/// (no allocation once it has grown to the largest backlog).
public struct PacketFIFO<Element> {
    private var slots: [(element: Element, bytes: Int)?]
    private var head = 0
    /// Number of queued elements.
    public private(set) var count = 0
    /// Sum of the byte sizes of the queued elements.
    public private(set) var bytes = 0

    /// Creates an empty queue with room for `capacity` elements before it grows.
    public init(capacity: Int = 64) {
        slots = Array(repeating: nil, count: Swift.max(capacity, 1))
    }

    /// Whether the queue is empty.
    public var isEmpty: Bool { count == 0 }

    /// The oldest element.
    public var first: Element? { count == 0 ? nil : slots[head]?.element }

    /// Appends an element of `bytes` bytes.
    public mutating func append(_ element: Element, bytes size: Int) {
        if count == slots.count { grow() }
        slots[(head + count) % slots.count] = (element, size)
        count += 1
        bytes += size
    }

    /// Removes and returns the oldest element.
    public mutating func removeFirst() -> Element? {
        guard count > 0, let slot = slots[head] else { return nil }
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        bytes -= slot.bytes
        return slot.element
    }

    private mutating func grow() {
        var bigger: [(element: Element, bytes: Int)?] = Array(repeating: nil, count: slots.count * 2)
        for index in 0..<count { bigger[index] = slots[(head + index) % slots.count] }
        slots = bigger
        head = 0
    }
}

extension PacketFIFO: Sendable where Element: Sendable {}
