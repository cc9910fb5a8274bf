/// A binary min-heap over a value type, stored in one contiguous array.
///
/// Push and pop are O(log n) and allocate only when the backing array grows; after a warm-up the
/// heap reuses its capacity (`removeAll(keepingCapacity:)`).
public struct MinHeap<Element: Comparable> {
    @usableFromInline var storage: [Element] = []

    /// Creates an empty heap, optionally reserving room for `capacity` elements.
    public init(capacity: Int = 0) {
        storage.reserveCapacity(capacity)
    }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }

    /// Whether the heap is empty.
    @inlinable public var isEmpty: Bool { storage.isEmpty }

    /// The smallest element, without removing it.
    @inlinable public var min: Element? { storage.first }

    /// Adds an element.
    public mutating func push(_ element: Element) {
        storage.append(element)
        // Sift up by moving parents into the hole (no swaps, no per-access checks).
        storage.withUnsafeMutableBufferPointer { heap in
            siftUp(element, in: heap.baseAddress!, hole: heap.count - 1)
        }
    }

    /// Removes and returns the smallest element.
    public mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        let last = storage.removeLast()
        guard !storage.isEmpty else { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let top = heap[0]
            siftDownFromRoot(last, in: heap.baseAddress!, count: heap.count)
            return top
        }
    }

    /// Removes every element, keeping the capacity by default.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        storage.removeAll(keepingCapacity: keepingCapacity)
    }
}

extension MinHeap: Sendable where Element: Sendable {}
