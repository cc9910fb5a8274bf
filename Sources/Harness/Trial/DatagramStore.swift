import Engine

/// The bytes of the datagrams travelling through a trial's links, in reusable slots.
///
/// A datagram handed to a link is copied once into a slot; the link carries only the slot number
/// (`TrialWorld.Packet`, a plain value: no reference counting or heap traffic as it moves through
/// queues and heaps), and the slot is released when the datagram is delivered or dropped. Slots
/// go back to a free list and keep their buffers, so a trial in steady state allocates nothing
/// per datagram. A slot's reference count covers duplicates made by a link.
final class DatagramStore {
    /// One slot: its buffer, the buffer's size, the datagram's length, and its references.
    private struct Slot {
        var buffer: UnsafeMutableRawPointer
        var capacity: Int
        var length: Int
        var referenceCount: Int32
    }

    /// Slot table and free list in manually managed memory: the store is touched several times
    /// per datagram, and arrays would check their uniqueness on every write.
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount = 0
    private var slotCapacity: Int
    /// Released slots, reused last-in first-out.
    private var free: UnsafeMutablePointer<Int32>
    private var freeCount = 0

    /// Smallest buffer a slot gets (above any datagram on a 1,500-byte MTU).
    static let minimumSlotBytes = 1_536

    /// Slots in use (for tests).
    var inUse: Int { slotCount - freeCount }
    /// References held over all slots: the datagrams on links, duplicates counted (for tests).
    private(set) var references = 0

    init() {
        slotCapacity = 64
        slots = .allocate(capacity: slotCapacity)
        free = .allocate(capacity: slotCapacity)
    }

    deinit {
        for index in 0..<slotCount { slots[index].buffer.deallocate() }
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        free.deallocate()
    }

    /// Copies `bytes` into a free slot holding one reference.
    func store(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let slot: Int32
        if freeCount > 0 {
            freeCount -= 1
            slot = free[freeCount]
        } else {
            if slotCount == slotCapacity { grow() }
            slot = Int32(slotCount)
            (slots + slotCount).initialize(to: Slot(buffer: .allocate(byteCount: Self.minimumSlotBytes, alignment: 16),
                                                    capacity: Self.minimumSlotBytes, length: 0, referenceCount: 0))
            slotCount += 1
        }
        let entry = slots + Int(slot)
        if bytes.count > entry.pointee.capacity {
            entry.pointee.buffer.deallocate()
            entry.pointee.buffer = .allocate(byteCount: bytes.count, alignment: 16)
            entry.pointee.capacity = bytes.count
        }
        if let source = bytes.baseAddress, bytes.count > 0 {
            entry.pointee.buffer.copyMemory(from: source, byteCount: bytes.count)
        }
        entry.pointee.length = bytes.count
        entry.pointee.referenceCount = 1
        references += 1
        return slot
    }

    /// Copies an array into a free slot holding one reference.
    func store(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { store($0) }
    }

    /// Adds a reference (a link duplicated the datagram).
    func retain(_ slot: Int32) {
        precondition(slot >= 0 && Int(slot) < slotCount, "no datagram slot \(slot)")
        slots[Int(slot)].referenceCount += 1
        references += 1
    }

    /// Drops a reference; the slot is reused once none remain.
    func release(_ slot: Int32) {
        precondition(slot >= 0 && Int(slot) < slotCount, "no datagram slot \(slot)")
        let entry = slots + Int(slot)
        precondition(entry.pointee.referenceCount > 0, "datagram slot released more often than retained")
        entry.pointee.referenceCount -= 1
        references -= 1
        if entry.pointee.referenceCount == 0 {
            free[freeCount] = slot
            freeCount += 1
        }
    }

    /// The bytes in `slot`, valid until its last reference is released.
    func bytes(_ slot: Int32) -> UnsafeRawBufferPointer {
        precondition(slot >= 0 && Int(slot) < slotCount, "no datagram slot \(slot)")
        let entry = slots[Int(slot)]
        return UnsafeRawBufferPointer(start: entry.buffer, count: entry.length)
    }

    /// The bytes in `slot`, writable (while the caller holds the only reference).
    func mutableBytes(_ slot: Int32) -> UnsafeMutableRawBufferPointer {
        precondition(slot >= 0 && Int(slot) < slotCount, "no datagram slot \(slot)")
        let entry = slots[Int(slot)]
        return UnsafeMutableRawBufferPointer(start: entry.buffer, count: entry.length)
    }

    /// Length of the datagram in `slot`.
    func length(_ slot: Int32) -> Int {
        precondition(slot >= 0 && Int(slot) < slotCount, "no datagram slot \(slot)")
        return slots[Int(slot)].length
    }

    /// Doubles the slot table and the free list (which never holds more than every slot).
    private func grow() {
        slotCapacity *= 2
        slots = slots.reallocated(moving: slotCount, capacity: slotCapacity)
        free = free.reallocated(moving: freeCount, capacity: slotCapacity)
    }
}
