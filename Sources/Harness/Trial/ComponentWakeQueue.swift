import Engine

/// When each of a `TrialWorld`'s components is due, reached by the component's index: the same
/// wake-ups, in the same order, as the world's earlier pair of a `WakeQueue` (a heap of every
/// wake-up ever scheduled, stale ones included) and a table of when each component was
/// scheduled, for less work per wake-up.
///
/// Each component has one key, the (time, sequence) at which it fires next, and a tournament
/// tree over the keys gives the earliest: taking it walks one path of the tree (five levels for
/// 31 components), and scheduling walks up only while the new key wins, instead of sifting a
/// heap on every push and pop. Each tree node holds the winning key itself, with the component
/// in its low bits (as `WakeQueue` packs it), so a level costs one comparison with the sibling.
///
/// Equivalence with the heap. The heap pops every entry in (time, sequence) order, and an entry
/// fires its component only when the component is scheduled no later than the entry's time;
/// other entries are skipped. When a component is moved earlier, its later entry stays in the
/// heap, and a later scheduling at exactly that time fires with the older entry's sequence (it
/// ties and was pushed first). So a component keeps the entries it was given that the heap would
/// still hold (those not behind `frontier`, the next place the heap would take), and its key is
/// the smallest of those at or after its scheduled time. Entries of other components that the
/// heap would skip on the way never change their keys, because the key taken is the smallest of
/// all. When nothing is due by a limit, the heap would have taken every entry up to the limit
/// that exists then, but not one scheduled later at exactly the limit (it gets a later sequence).
final class ComponentWakeQueue {
    /// A place in the firing order: by time, then by scheduling sequence; the component is in the
    /// low bits of `order` (`sequence << componentBits | component`), which orders like the
    /// sequence alone since sequences are unique.
    struct Key: Comparable {
        var time: Int64
        var order: UInt64

        /// Sorts after every real entry.
        static let never = Key(time: .max, order: .max)

        var component: Int { Int(order & (1 << ComponentWakeQueue.componentBits - 1)) }

        @inline(__always)
        static func < (lhs: Key, rhs: Key) -> Bool {
            lhs.time == rhs.time ? lhs.order < rhs.order : lhs.time < rhs.time
        }
    }

    private static let componentBits: UInt64 = 20
    /// Components are numbered 0 ..< `componentLimit`.
    static let componentLimit = 1 << 20

    /// One component's state, in one flat table.
    private struct Component {
        /// When it is scheduled (`Int64.max`: not scheduled).
        var scheduled: Int64 = .max
        /// Entries scheduled for it that the heap would still hold (usually one).
        var entries = UnsafeMutablePointer<Key>.allocate(capacity: 4)
        var entryCount = 0
        var entryCapacity = 4
    }

    private var components: UnsafeMutablePointer<Component>
    private var componentCapacity: Int
    /// Number of components (0 ..< `count`).
    private(set) var count = 0
    /// Tournament tree: node 1 is the root, node `i` has children `2i` and `2i + 1`, leaf
    /// `leafBase + c` holds component `c`'s key, and every other node the smallest key below it.
    private var tree: UnsafeMutablePointer<Key>
    private var leafBase: Int
    private var nextSequence: UInt64 = 0
    /// The first place in the order the heap would not have taken yet: every entry before it is
    /// gone. After taking (T, s) it is (T, s + 1) with no component bits, so that entries
    /// scheduled later at T (later sequences) stay.
    private var frontier = Key(time: .min, order: 0)

    /// The current virtual time (the time of the last wake-up taken). Never decreases.
    private(set) var now: Instant

    init(start: Instant = .zero) {
        now = start
        componentCapacity = 16
        components = .allocate(capacity: componentCapacity)
        leafBase = 0  // no leaf yet: the first component builds the tree
        tree = .allocate(capacity: 2)
        tree.initialize(repeating: .never, count: 2)
    }

    deinit {
        for index in 0..<count { components[index].entries.deallocate() }
        components.deinitialize(count: count)
        components.deallocate()
        tree.deallocate()
    }

    /// Adds a component, not scheduled, with the next index.
    func addComponent() {
        precondition(count < Self.componentLimit, "too many components")
        if count == componentCapacity {
            componentCapacity *= 2
            components = components.reallocated(moving: count, capacity: componentCapacity)
        }
        (components + count).initialize(to: Component())
        count += 1
        if count > leafBase { rebuildTree() }
    }

    /// Whether `component` is scheduled (for tests).
    func isScheduled(_ component: Int) -> Bool {
        components[component].scheduled != .max
    }

    /// Schedules `component` at `due` unless it is scheduled no later already; a time in the past
    /// is due at once (at `now`), after what is already due now. What `TrialWorld` did with its
    /// `scheduled` table and `WakeQueue.schedule`. (`Instant(nanoseconds: .max)` counts as never.)
    @inline(__always)
    func schedule(_ component: Int, at due: Instant) {
        precondition(component >= 0 && component < count, "component \(component) out of range")
        let state = components + component
        if state.pointee.scheduled <= due.nanoseconds { return }
        precondition(nextSequence < 1 << (64 - Self.componentBits), "wake-up sequence exhausted")
        state.pointee.scheduled = due.nanoseconds
        let entry = Key(time: max(due.nanoseconds, now.nanoseconds), order: nextSequence << Self.componentBits | UInt64(component))
        nextSequence += 1
        if state.pointee.entryCount == state.pointee.entryCapacity { compactOrGrow(state) }
        state.pointee.entries[state.pointee.entryCount] = entry
        state.pointee.entryCount += 1
        // Usually the only entry, so the key; otherwise an older one may tie at or follow the due time.
        let key = state.pointee.entryCount == 1 ? entry : currentKey(of: state)
        // The key only moves earlier (the component was not scheduled, or later): it rises in the
        // tree while it wins.
        var node = leafBase + component
        tree[node] = key
        while node > 1 {
            node >>= 1
            guard key < tree[node] else { break }
            tree[node] = key
        }
    }

    /// Takes the component due next at or before `limit`, moving `now` to its time and marking
    /// it not scheduled; nil when none is due by then (every wake-up up to `limit` is then
    /// behind, as if taken).
    @inline(__always)
    func popNext(until limit: Instant) -> Int? {
        let key = tree[1]
        guard key.time <= limit.nanoseconds, key.time != .max else {
            let end = Key(time: limit.nanoseconds, order: nextSequence << Self.componentBits)
            if frontier < end { frontier = end }
            return nil
        }
        let component = key.component
        let state = components + component
        frontier = Key(time: key.time, order: (key.order >> Self.componentBits + 1) << Self.componentBits)
        now = Instant(nanoseconds: max(now.nanoseconds, key.time))
        state.pointee.scheduled = .max
        if state.pointee.entryCount == 1 {
            state.pointee.entryCount = 0
        } else {
            _ = currentKey(of: state)  // drops the entry taken (and older ones)
        }
        // The component held the root: every node on its path is recomputed without it.
        var node = leafBase + component
        var winner = Key.never
        tree[node] = winner
        while node > 1 {
            let sibling = tree[node ^ 1]
            if sibling < winner { winner = sibling }
            node >>= 1
            tree[node] = winner
        }
        return component
    }

    /// Moves `now` forward to `time` (never back).
    func advance(to time: Instant) {
        now = max(now, time)
    }

    /// Drops the component's entries before `frontier` and returns its key: the smallest entry at
    /// or after its scheduled time (`Key.never` when not scheduled).
    private func currentKey(of state: UnsafeMutablePointer<Component>) -> Key {
        var best = Key.never
        var kept = 0
        let scheduled = state.pointee.scheduled
        let entries = state.pointee.entries
        for index in 0..<state.pointee.entryCount {
            let entry = entries[index]
            guard !(entry < frontier) else { continue }
            entries[kept] = entry
            kept += 1
            if entry.time >= scheduled && entry < best { best = entry }
        }
        state.pointee.entryCount = kept
        return scheduled == .max ? .never : best
    }

    private func compactOrGrow(_ state: UnsafeMutablePointer<Component>) {
        _ = currentKey(of: state)
        guard state.pointee.entryCount == state.pointee.entryCapacity else { return }
        state.pointee.entryCapacity *= 2
        state.pointee.entries = state.pointee.entries.reallocated(moving: state.pointee.entryCount,
                                                                  capacity: state.pointee.entryCapacity)
    }

    /// Builds a tree with room for every component (leaves a power of two), keeping the keys.
    private func rebuildTree() {
        var leaves = 1
        while leaves < count { leaves *= 2 }
        let bigger = UnsafeMutablePointer<Key>.allocate(capacity: 2 * leaves)
        bigger.initialize(repeating: .never, count: 2 * leaves)
        for component in 0..<count - 1 where leafBase > 0 { bigger[leaves + component] = tree[leafBase + component] }
        tree.deallocate()
        tree = bigger
        leafBase = leaves
        for node in stride(from: leaves - 1, through: 1, by: -1) {
            tree[node] = tree[2 * node + 1] < tree[2 * node] ? tree[2 * node + 1] : tree[2 * node]
        }
    }
}
