import Engine

/// A deterministic discrete-event scheduler over virtual time.
///
/// Events wait in a binary heap ordered by (deadline, insertion sequence), so events due at the
/// same instant come out in the order they were scheduled (FIFO). Taking an event moves `now`
/// to its deadline; nothing ever sleeps. `Event` is whatever the trial runner needs, typically a
/// small enum such as `.participantTimeout(index)` or `.deliver(link:)`.
///
/// Two ways to drive it:
/// - event loop: `while let event = scheduler.popNext(until: end) { handle(event) }`, or
///   `progress(until:_:)` / `runUntilIdle(_:)` with a closure that may schedule more events;
/// - deadline merging for sans-IO components (`TimeoutDriven`): compute the components'
///   earliest `nextDeadline()` and call `step(until:deadline:)`, which returns whichever of the
///   next scheduled event or that deadline comes first and advances `now` to it.
public struct VirtualScheduler<Event> {
    /// Identifies a scheduled event, for `cancel(_:)`.
    public struct EventID: Hashable, Sendable, Comparable {
        /// Insertion sequence number (unique per scheduler).
        public let sequence: UInt64
        public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.sequence < rhs.sequence }
    }

    /// What `step(until:deadline:)` found next.
    public enum Step {
        /// A scheduled event became due; `now` is its deadline.
        case event(Event)
        /// The external deadline came first (or tied with no event due earlier); `now` is that deadline.
        case deadline(Instant)
        /// Nothing is due at or before the limit; `now` was moved to the limit.
        case reachedLimit
    }

    @usableFromInline struct Entry: Comparable {
        var time: Instant
        var sequence: UInt64
        var event: Event
        @usableFromInline static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time ? lhs.sequence < rhs.sequence : lhs.time < rhs.time
        }
        @usableFromInline static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    private var heap: MinHeap<Entry>
    private var nextSequence: UInt64 = 0
    private var cancelled: Set<UInt64> = []

    /// The current virtual time. Never decreases.
    public private(set) var now: Instant

    /// Number of events taken so far (cancelled ones excluded).
    public private(set) var processedCount: Int = 0

    /// Creates a scheduler whose clock starts at `start`.
    public init(start: Instant = .zero, capacity: Int = 1024) {
        now = start
        heap = MinHeap(capacity: capacity)
    }

    /// Number of events waiting (cancelled ones excluded).
    public var pendingCount: Int { heap.count - cancelled.count }

    /// Whether no event is waiting.
    public var isIdle: Bool { pendingCount == 0 }

    /// Deadline of the next (non-cancelled) event.
    public mutating func nextEventTime() -> Instant? {
        discardCancelledHead()
        return heap.min?.time
    }

    /// Schedules `event` at `time`. A time in the past is due immediately (at `now`), keeping
    /// its FIFO position among events due now.
    @discardableResult
    public mutating func schedule(at time: Instant, _ event: Event) -> EventID {
        let sequence = nextSequence
        nextSequence &+= 1
        heap.push(Entry(time: max(time, now), sequence: sequence, event: event))
        return EventID(sequence: sequence)
    }

    /// Schedules `event` `delay` after `now`.
    @discardableResult
    public mutating func schedule(after delay: Duration, _ event: Event) -> EventID {
        schedule(at: now + delay, event)
    }

    /// Cancels a pending event (no effect if it already ran or was cancelled).
    /// O(pending) to check the id; the entry itself is skipped when it reaches the top of the heap.
    public mutating func cancel(_ id: EventID) {
        guard !cancelled.contains(id.sequence),
              heap.storage.contains(where: { $0.sequence == id.sequence }) else { return }
        cancelled.insert(id.sequence)
    }

    /// Takes the next event due at or before `limit`, moving `now` to its deadline.
    /// Returns nil, leaving `now` unchanged, when no event is due by `limit`.
    public mutating func popNext(until limit: Instant) -> Event? {
        discardCancelledHead()
        guard let top = heap.min, top.time <= limit else { return nil }
        _ = heap.popMin()
        now = max(now, top.time)
        processedCount += 1
        return top.event
    }

    /// Takes the next event whatever its deadline, moving `now` to it.
    public mutating func popNext() -> Event? {
        popNext(until: Instant(nanoseconds: .max))
    }

    /// Moves `now` forward to `time` without taking events. Events due earlier stay due and come
    /// out next (at the new `now`), so callers normally drain them first.
    public mutating func advance(to time: Instant) {
        now = max(now, time)
    }

    /// Returns whichever comes first, the next scheduled event or the external `deadline`
    /// (typically the earliest `nextDeadline()` of the components being driven), as long as it
    /// is at or before `limit`, and moves `now` there. On a tie the scheduled event comes first.
    public mutating func step(until limit: Instant, deadline: Instant?) -> Step {
        discardCancelledHead()
        let eventTime = heap.min?.time
        if let eventTime, eventTime <= limit, deadline.map({ eventTime <= $0 }) ?? true {
            return popNext(until: limit).map(Step.event) ?? .reachedLimit
        }
        if let deadline, deadline <= limit {
            now = max(now, deadline)
            return .deadline(now)
        }
        now = max(now, limit)
        return .reachedLimit
    }

    /// Runs every event due at or before `limit` (including events the handler schedules
    /// within the limit), then moves `now` to `limit`.
    public mutating func progress(
        until limit: Instant, _ handle: (inout VirtualScheduler, Event) throws -> Void
    ) rethrows {
        while let event = popNext(until: limit) {
            try handle(&self, event)
        }
        advance(to: limit)
    }

    /// Runs events until none is left or `maxEvents` were run; returns how many ran.
    @discardableResult
    public mutating func runUntilIdle(
        maxEvents: Int = .max, _ handle: (inout VirtualScheduler, Event) throws -> Void
    ) rethrows -> Int {
        var ran = 0
        while ran < maxEvents, let event = popNext() {
            try handle(&self, event)
            ran += 1
        }
        return ran
    }

    private mutating func discardCancelledHead() {
        guard !cancelled.isEmpty else { return }
        while let top = heap.min, cancelled.contains(top.sequence) {
            _ = heap.popMin()
            cancelled.remove(top.sequence)
        }
    }
}

extension VirtualScheduler: Sendable where Event: Sendable {}
extension VirtualScheduler.Entry: Sendable where Event: Sendable {}
extension VirtualScheduler.Step: Sendable where Event: Sendable {}
