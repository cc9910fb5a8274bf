/// Each transport's congestion-control deadline (feedback, probe, pacer) and whether its pacer
/// holds packets, by transport id, in one contiguous array, with the earliest deadline kept as
/// entries change: a deadline that comes before it replaces it; only when the entry that held it
/// moves later (or drops its deadline) are all entries compared again, after a batch of updates.
///
/// Deadlines are kept as nanosecond counts with `Int64.max` for "none" (no transport deadline is
/// that late: instants are nanoseconds since the trial or server start), so the comparisons and
/// the rescan are plain integer work.
struct TransportDeadlineIndex {
    private struct Entry {
        var deadline: Int64
        var hasPacedPackets: Bool
    }

    private static let none = Int64.max
    private var entries: [Entry] = []
    /// The earliest deadline over all entries (`none` when there is none).
    private var earliestNanoseconds = Self.none
    /// Set by `update` when the entry holding the earliest deadline moved it later.
    private var needsRescan = false
    /// How many entries have packets waiting in their pacer.
    private var pacedEntries = 0

    /// Adds an entry (for the next transport id) without deadline or waiting packets.
    mutating func append() { entries.append(Entry(deadline: Self.none, hasPacedPackets: false)) }

    /// The earliest deadline over all transports (valid after `finishUpdates()`).
    var earliest: Instant? { earliestNanoseconds == Self.none ? nil : Instant(nanoseconds: earliestNanoseconds) }

    /// Records transport `index`'s new deadline and whether its pacer holds packets. Call
    /// `finishUpdates()` after a batch.
    @inline(__always)
    mutating func update(_ index: Int, deadline: Instant?, hasPacedPackets: Bool) {
        let new = deadline?.nanoseconds ?? Self.none
        let previous = entries[index].deadline
        if entries[index].hasPacedPackets != hasPacedPackets { pacedEntries += hasPacedPackets ? 1 : -1 }
        entries[index] = Entry(deadline: new, hasPacedPackets: hasPacedPackets)
        if new < earliestNanoseconds {
            earliestNanoseconds = new
        } else if previous != Self.none, previous == earliestNanoseconds, new != previous {
            needsRescan = true
        }
    }

    /// Compares all entries again when an update moved the earliest deadline later.
    mutating func finishUpdates() {
        guard needsRescan else { return }
        needsRescan = false
        var earliest = Self.none
        for entry in entries where entry.deadline < earliest { earliest = entry.deadline }
        earliestNanoseconds = earliest
    }

    /// Whether any transport has congestion work at `now` (`hasWork` for one of them).
    func anyHasWork(now: Instant) -> Bool { pacedEntries > 0 || earliestNanoseconds <= now.nanoseconds }

    /// Whether transport `index` has congestion work at `now`: its deadline is due or its pacer
    /// holds packets.
    @inline(__always)
    func hasWork(_ index: Int, now: Instant) -> Bool {
        let entry = entries[index]
        return entry.hasPacedPackets || entry.deadline <= now.nanoseconds
    }

    /// Transport `index`'s deadline.
    func deadline(_ index: Int) -> Instant? {
        let value = entries[index].deadline
        return value == Self.none ? nil : Instant(nanoseconds: value)
    }
}
