import Engine

/// A growable array of large values that are read and mutated where they live.
///
/// `Array`'s subscript getter hands out a copy of the element: for a struct holding queues and
/// heaps (a `LinkEmulator`), calling a non-mutating method through `array[i]` copies the whole
/// value (retaining every buffer it holds) and destroys the copy afterwards. This container's
/// subscript is an addressor, so `store[i].method()` borrows the element in place and
/// `store[i].mutatingMethod()` mutates it in place, without uniqueness checks.
///
/// A class (reference semantics) with manually managed storage: elements are only ever appended.
final class InPlaceArray<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Number of elements.
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = Swift.max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Adds an element at the end.
    func append(_ element: Element) {
        if count == capacity {
            capacity *= 2
            base = base.reallocated(moving: count, capacity: capacity)
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The element at `index` (0..<count), reached in place.
    subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < count, "InPlaceArray index out of range")
            return UnsafePointer(base + index)
        }
        unsafeMutableAddress {
            precondition(index >= 0 && index < count, "InPlaceArray index out of range")
            return base + index
        }
    }

    /// The valid indices.
    var indices: Range<Int> { 0..<count }
}
