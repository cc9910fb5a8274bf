import Engine
@testable import Harness

/// The wake-ups a `TrialWorld` scheduled for its components until `ComponentWakeQueue` took its
/// place (with a table of scheduled times, see `ComponentWakeQueueTests`), kept here as the
/// reference that queue is tested against: what a `VirtualScheduler<Int>` does, in the same
/// order, for less (`WakeQueueTests`).
///
/// A binary min-heap ordered by (time, insertion sequence), so wake-ups due at the same instant
/// come out in the order they were scheduled, exactly as from `VirtualScheduler`. The sequence and
/// the component share one 64-bit word (sequence in the high 44 bits, component in the low 20),
/// which orders like the sequence alone (sequences are unique) and makes an entry 16 bytes. The
/// heap lives in manually managed memory: it is pushed and popped once or twice per simulated
/// packet, and an array would check its uniqueness on every change.
final class WakeQueue {
    private struct Entry: Comparable {
        var time: Int64
        /// `sequence << componentBits | component`.
        var order: UInt64

        @inline(__always)
        static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time ? lhs.order < rhs.order : lhs.time < rhs.time
        }
    }

    private static let componentBits: UInt64 = 20
    /// Components are numbered 0 ..< `componentLimit`.
    static let componentLimit = 1 << 20

    private var heap: UnsafeMutablePointer<Entry>
    private var count = 0
    private var capacity: Int
    private var nextSequence: UInt64 = 0

    /// The current virtual time (the time of the last wake-up taken). Never decreases.
    private(set) var now: Instant

    init(start: Instant = .zero, capacity: Int = 1_024) {
        now = start
        self.capacity = max(1, capacity)
        heap = .allocate(capacity: self.capacity)
    }

    deinit {
        heap.deallocate()
    }

    /// Schedules `component` at `time`; a time in the past is due at once (at `now`), after
    /// what is already due now.
    func schedule(at time: Instant, _ component: Int) {
        precondition(component >= 0 && component < Self.componentLimit, "component \(component) out of range")
        precondition(nextSequence < 1 << (64 - Self.componentBits), "wake-up sequence exhausted")
        let entry = Entry(time: max(time, now).nanoseconds, order: nextSequence << Self.componentBits | UInt64(component))
        nextSequence += 1
        if count == capacity { grow() }
        siftUp(entry, in: heap, hole: count)
        count += 1
    }

    /// Takes the next component due at or before `limit`, moving `now` to its time; nil (leaving
    /// `now` unchanged) when nothing is due by then.
    func popNext(until limit: Instant) -> Int? {
        guard count > 0, heap[0].time <= limit.nanoseconds else { return nil }
        let top = heap[0]
        count -= 1
        if count > 0 {
            siftDownFromRoot(heap[count], in: heap, count: count)
        }
        now = max(now, Instant(nanoseconds: top.time))
        return Int(top.order & (1 << Self.componentBits - 1))
    }

    /// Moves `now` forward to `time` (never back).
    func advance(to time: Instant) {
        now = max(now, time)
    }

    private func grow() {
        capacity *= 2
        heap = heap.reallocated(moving: count, capacity: capacity)
    }
}
