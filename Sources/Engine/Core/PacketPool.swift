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
    private var lengths: [Int32] = []
    private var references: [Int32] = []
    private var free: [Int32] = []

    /// Slots currently allocated (for tests and statistics).
    var capacity: Int { lengths.count }
    /// Slots in use.
    var inUse: Int { lengths.count - free.count }

    init() {}

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Copies `bytes` into a free slot with one reference; nil when the packet is larger than a slot.
    func store(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard bytes.count <= Self.slotSize else { return nil }
        if free.isEmpty { grow() }
        let slot = free.removeLast()
        let base = pointer(slot)
        if let source = bytes.baseAddress, bytes.count > 0 {
            base.copyMemory(from: source, byteCount: bytes.count)
        }
        lengths[Int(slot)] = Int32(bytes.count)
        references[Int(slot)] = 1
        return slot
    }

    /// Adds a reference to `slot`.
    func retain(_ slot: Int32) {
        references[Int(slot)] += 1
    }

    /// Drops a reference; the slot is reused once none remain.
    func release(_ slot: Int32) {
        let index = Int(slot)
        references[index] -= 1
        assert(references[index] >= 0, "packet slot released more often than retained")
        if references[index] == 0 { free.append(slot) }
    }

    /// The bytes stored in `slot`.
    func bytes(_ slot: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer(slot), count: Int(lengths[Int(slot)]))
    }

    /// The bytes stored in `slot`, writable (only while the caller holds the only reference).
    func mutableBytes(_ slot: Int32) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pointer(slot), count: Int(lengths[Int(slot)]))
    }

    private func pointer(_ slot: Int32) -> UnsafeMutableRawPointer {
        let index = Int(slot)
        return chunks[index / Self.chunkSlots] + (index % Self.chunkSlots) * Self.slotSize
    }

    private func grow() {
        let first = lengths.count
        chunks.append(.allocate(byteCount: Self.chunkSlots * Self.slotSize, alignment: 16))
        lengths.append(contentsOf: repeatElement(0, count: Self.chunkSlots))
        references.append(contentsOf: repeatElement(0, count: Self.chunkSlots))
        free.reserveCapacity(lengths.count)
        for slot in (first..<lengths.count).reversed() { free.append(Int32(slot)) }
    }
}
