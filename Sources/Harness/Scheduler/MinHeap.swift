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
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if storage[child] < storage[parent] {
                storage.swapAt(child, parent)
                child = parent
            } else {
                break
            }
        }
    }

    /// Removes and returns the smallest element.
    public mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        if storage.count == 1 { return storage.removeLast() }
        let top = storage[0]
        storage[0] = storage.removeLast()
        var parent = 0
        let n = storage.count
        while true {
            let left = 2 * parent + 1
            if left >= n { break }
            let right = left + 1
            var smallest = left
            if right < n && storage[right] < storage[left] { smallest = right }
            if storage[smallest] < storage[parent] {
                storage.swapAt(smallest, parent)
                parent = smallest
            } else {
                break
            }
        }
        return top
    }

    /// Removes every element, keeping the capacity by default.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        storage.removeAll(keepingCapacity: keepingCapacity)
    }
}

extension MinHeap: Sendable where Element: Sendable {}
