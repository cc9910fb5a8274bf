import Engine

/// Departure times and sizes of the packets still in a bottleneck served ahead of time
/// (`LinkEmulator`), oldest first, with their total size.
///
/// A ring buffer of plain (time, bytes) pairs whose capacity is a power of two, so a slot is found
/// with a mask and nothing is optional: cheaper than `PacketFIFO` for these two integers, which
/// are appended and removed once per packet on a link (and inlined there).
struct DepartureRing: Sendable {
    private var slots: [(time: Int64, bytes: Int)]
    private var head = 0
    private var mask: Int
    /// Number of entries.
    private(set) var count = 0
    /// Sum of the entries' sizes.
    private(set) var bytes = 0

    /// Creates an empty ring with room for at least `capacity` entries before it grows.
    init(capacity: Int = 64) {
        var size = 1
        while size < capacity { size *= 2 }
        slots = Array(repeating: (0, 0), count: size)
        mask = size - 1
    }

    /// Whether the ring is empty.
    var isEmpty: Bool { count == 0 }

    /// Adds a packet of `bytes` bytes leaving at `time` (no earlier than the newest entry).
    @inline(__always)
    mutating func append(_ time: Instant, bytes size: Int) {
        if count == slots.count { grow() }
        slots[(head + count) & mask] = (time.nanoseconds, size)
        count += 1
        bytes += size
    }

    /// Removes the oldest entry; only when not empty.
    @inline(__always)
    mutating func removeFirst() {
        bytes -= slots[head].bytes
        head = (head + 1) & mask
        count -= 1
    }

    /// Removes the entries that have left by `time` (departure at or before it).
    @inline(__always)
    mutating func removeDeparted(by time: Instant) {
        while count > 0 && slots[head].time <= time.nanoseconds { removeFirst() }
    }

    private mutating func grow() {
        var bigger = Array(repeating: (time: Int64(0), bytes: 0), count: slots.count * 2)
        for index in 0..<count { bigger[index] = slots[(head + index) & mask] }
        slots = bigger
        head = 0
        mask = bigger.count - 1
    }
}
