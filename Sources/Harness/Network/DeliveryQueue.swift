import Engine

/// Packets past a link's bottleneck, taken out in order of (delivery time, sequence): what a
/// binary heap gives, at the cost of a FIFO when deliveries are already in order.
///
/// Without reordering (the usual case) a link's deliveries never go back in time, so each
/// packet is appended to a FIFO and the oldest is the next one out. A packet that would arrive
/// before the newest in the FIFO (jitter with `reorder`) goes into a heap instead, and the next
/// packet out is the smaller of the two heads. Sequences grow with every push, so equal times
/// keep their push order either way.
struct DeliveryQueue<Element> {
    /// A packet and its place in the delivery order.
    struct Entry: Comparable {
        var time: Instant
        var sequence: UInt64
        var element: Element

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time ? lhs.sequence < rhs.sequence : lhs.time < rhs.time
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    /// Entries in order; the live ones start at `head`.
    private var ordered: [Entry] = []
    private var head = 0
    /// Time of the newest entry in `ordered` (meaningful while `head < ordered.count`), so that
    /// `push` compares without copying that entry out.
    private var newestOrderedTime = Instant.zero
    /// Entries that arrived out of order.
    private var reordered = MinHeap<Entry>()

    init(capacity: Int = 256) {
        ordered.reserveCapacity(capacity)
    }

    /// Number of entries.
    var count: Int { ordered.count - head + reordered.count }

    /// Adds an entry; `sequence` must exceed every earlier one.
    @inline(__always)
    mutating func push(_ entry: Entry) {
        if head < ordered.count, entry.time < newestOrderedTime {
            reordered.push(entry)
        } else {
            ordered.append(entry)
            newestOrderedTime = entry.time
        }
    }

    /// When the next entry out is due (its time alone: cheaper than `min` to ask).
    @inline(__always)
    var minTime: Instant? {
        let first = head < ordered.count ? ordered[head].time : nil
        if reordered.isEmpty { return first }
        guard let other = reordered.min?.time else { return first }
        guard let first else { return other }
        return Swift.min(other, first)
    }

    /// The next entry out, without removing it.
    var min: Entry? {
        let first = head < ordered.count ? ordered[head] : nil
        guard let other = reordered.min else { return first }
        guard let first else { return other }
        return other < first ? other : first
    }

    /// Hands every entry due by `time` to `body`, in order, and removes them: what `popMin()`
    /// gives while `minTime` is due, and with nothing out of order (no reordering link), one pass
    /// over the FIFO. `body` must not use this queue.
    @inline(__always)
    mutating func popDue(by time: Instant, _ body: (Entry) -> Void) {
        guard reordered.isEmpty else {
            while let due = minTime, due <= time, let top = popMin() { body(top) }
            return
        }
        var index = head
        let end = ordered.count
        while index < end, ordered[index].time <= time {
            body(ordered[index])
            index += 1
        }
        guard index > head else { return }
        head = index
        compactAfterPop()
    }

    /// Removes and returns the next entry out.
    mutating func popMin() -> Entry? {
        if let other = reordered.min, head == ordered.count || other < ordered[head] {
            return reordered.popMin()
        }
        guard head < ordered.count else { return nil }
        let first = ordered[head]
        head += 1
        compactAfterPop()
        return first
    }

    /// Empties the FIFO once its live entries are gone, or drops the taken ones once they are
    /// most of a large FIFO.
    @inline(__always)
    private mutating func compactAfterPop() {
        if head == ordered.count {
            ordered.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024 && head * 2 >= ordered.count {
            ordered.removeFirst(head)
            head = 0
        }
    }
}

extension DeliveryQueue: Sendable where Element: Sendable {}
extension DeliveryQueue.Entry: Sendable where Element: Sendable {}
