/// Reference-counted fixed-size packet slots, allocated in chunks and reused.
///
/// A received media packet is copied once into a slot; every consumer's retransmission buffer
/// holds a reference to that slot instead of a copy. In steady state no heap allocation happens
/// per packet: slots return to a free list when their last reference is released, and chunks are
/// only added when the number of packets in flight grows.
final class PacketPool {
    /// Largest packet a slot holds, in bytes (above any RTP packet that fits a 1500-byte MTU).
    static let slotSize = 1_536
    /// Slots added at a time.
    static let chunkSlots = 512

    private var chunks: [UnsafeMutableRawPointer] = []
    /// Per-slot length and reference count, and the free list: manually managed arrays of
    /// `slotCount` entries (replaced, never shared, when the pool grows), so that storing and
    /// releasing a packet (several times per forwarded copy) pays no copy-on-write check.
    private var lengths: UnsafeMutablePointer<Int32>
    private var references: UnsafeMutablePointer<Int32>
    private var free: UnsafeMutablePointer<Int32>
    private var freeCount = 0
    private var slotCount = 0

    /// Slots currently allocated (for tests and statistics).
    var capacity: Int { slotCount }
    /// Slots in use.
    var inUse: Int { slotCount - freeCount }

    init() {
        lengths = .allocate(capacity: 0)
        references = .allocate(capacity: 0)
        free = .allocate(capacity: 0)
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
        lengths.deallocate()
        references.deallocate()
        free.deallocate()
    }

    /// Copies `bytes` into a free slot with one reference; nil when the packet is larger than a slot.
    func store(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard bytes.count <= Self.slotSize else { return nil }
        if freeCount == 0 { grow() }
        freeCount -= 1
        let slot = free[freeCount]
        let base = pointer(slot)
        if let source = bytes.baseAddress, bytes.count > 0 {
            base.copyMemory(from: source, byteCount: bytes.count)
        }
        lengths[Int(slot)] = Int32(bytes.count)
        references[Int(slot)] = 1
        return slot
    }

    // `retain`, `release`, `bytes` and `mutableBytes` are inlined: each runs once or more per
    // forwarded copy, and each is a few loads and stores.

    /// Adds a reference to `slot`.
    @inline(__always)
    func retain(_ slot: Int32) {
        assert(slot >= 0 && Int(slot) < slotCount, "no packet slot \(slot)")
        references[Int(slot)] += 1
    }

    /// Drops a reference; the slot is reused once none remain.
    @inline(__always)
    func release(_ slot: Int32) {
        let index = Int(slot)
        assert(slot >= 0 && index < slotCount, "no packet slot \(slot)")
        references[index] -= 1
        assert(references[index] >= 0, "packet slot released more often than retained")
        if references[index] == 0 {
            free[freeCount] = slot
            freeCount += 1
        }
    }

    /// The bytes stored in `slot`.
    @inline(__always)
    func bytes(_ slot: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer(slot), count: Int(lengths[Int(slot)]))
    }

    /// The bytes stored in `slot`, writable (only while the caller holds the only reference).
    @inline(__always)
    func mutableBytes(_ slot: Int32) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pointer(slot), count: Int(lengths[Int(slot)]))
    }

    @inline(__always)
    private func pointer(_ slot: Int32) -> UnsafeMutableRawPointer {
        let index = Int(slot)
        assert(slot >= 0 && index < slotCount, "no packet slot \(slot)")
        return chunks[index / Self.chunkSlots] + (index % Self.chunkSlots) * Self.slotSize
    }

    private func grow() {
        let first = slotCount
        let count = slotCount + Self.chunkSlots
        chunks.append(.allocate(byteCount: Self.chunkSlots * Self.slotSize, alignment: 16))
        lengths = Self.grown(lengths, from: first, to: count)
        references = Self.grown(references, from: first, to: count)
        // The pool grows only when no slot is free: the free list becomes the new slots, lowest
        // handed out first.
        free.deallocate()
        free = .allocate(capacity: count)
        freeCount = 0
        for slot in (first..<count).reversed() {
            free[freeCount] = Int32(slot)
            freeCount += 1
        }
        slotCount = count
    }

    /// A copy of the first `old` entries of `values` in a new allocation of `new` entries (the
    /// rest zero); `values` is deallocated.
    private static func grown(_ values: UnsafeMutablePointer<Int32>, from old: Int, to new: Int) -> UnsafeMutablePointer<Int32> {
        let result = values.reallocated(moving: old, capacity: new)
        (result + old).initialize(repeating: 0, count: new - old)
        return result
    }
}
