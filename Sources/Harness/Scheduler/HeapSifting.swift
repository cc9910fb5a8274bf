/// The sift-down of a binary min-heap, shared (with ``siftUp(_:in:hole:)``) by ``MinHeap`` and the
/// tests' `WakeQueue` (the trial world's former heap of wake-ups):
/// puts `element` into the hole at the root of `heap[0..<count]`, moving the smaller child up
/// into the hole until `element` is no larger than both children.
@inline(__always)
func siftDownFromRoot<Element: Comparable>(_ element: Element, in heap: UnsafeMutablePointer<Element>, count: Int) {
    var parent = 0
    while true {
        let left = 2 * parent + 1
        if left >= count { break }
        let right = left + 1
        let smallest = right < count && heap[right] < heap[left] ? right : left
        guard heap[smallest] < element else { break }
        heap[parent] = heap[smallest]
        parent = smallest
    }
    heap[parent] = element
}

/// The sift-up of a binary min-heap: puts `element` into the hole at index `hole` (the slot just
/// past the heap's old end), moving parents down into the hole until `element` is no smaller
/// than its parent.
@inline(__always)
func siftUp<Element: Comparable>(_ element: Element, in heap: UnsafeMutablePointer<Element>, hole: Int) {
    var child = hole
    while child > 0 {
        let parent = (child - 1) / 2
        guard element < heap[parent] else { break }
        heap[child] = heap[parent]
        child = parent
    }
    heap[child] = element
}
