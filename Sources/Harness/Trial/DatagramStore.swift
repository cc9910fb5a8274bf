/// The bytes of the datagrams travelling through a trial's links, in reusable slots.
///
/// A datagram handed to a link is copied once into a slot; the link carries only the slot number
/// (`TrialWorld.Packet`, a plain value: no reference counting or heap traffic as it moves through
/// queues and heaps), and the slot is released when the datagram is delivered or dropped. Slots
/// go back to a free list and keep their buffers, so a trial in steady state allocates nothing
/// per datagram. A slot's reference count covers duplicates made by a link.
final class DatagramStore {
    private var buffers: [UnsafeMutableRawPointer] = []
    private var capacities: [Int] = []
    private var lengths: [Int] = []
    private var referenceCounts: [Int32] = []
    private var free: [Int32] = []

    /// Smallest buffer a slot gets (above any datagram on a 1,500-byte MTU).
    static let minimumSlotBytes = 1_536

    /// Slots in use (for tests).
    var inUse: Int { buffers.count - free.count }
    /// References held over all slots: the datagrams on links, duplicates counted (for tests).
    private(set) var references = 0

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Copies `bytes` into a free slot holding one reference.
    func store(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = Int32(buffers.count)
            buffers.append(.allocate(byteCount: Self.minimumSlotBytes, alignment: 16))
            capacities.append(Self.minimumSlotBytes)
            lengths.append(0)
            referenceCounts.append(0)
        }
        let index = Int(slot)
        if bytes.count > capacities[index] {
            buffers[index].deallocate()
            buffers[index] = .allocate(byteCount: bytes.count, alignment: 16)
            capacities[index] = bytes.count
        }
        if let source = bytes.baseAddress, bytes.count > 0 {
            buffers[index].copyMemory(from: source, byteCount: bytes.count)
        }
        lengths[index] = bytes.count
        referenceCounts[index] = 1
        references += 1
        return slot
    }

    /// Copies an array into a free slot holding one reference.
    func store(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { store($0) }
    }

    /// Adds a reference (a link duplicated the datagram).
    func retain(_ slot: Int32) {
        referenceCounts[Int(slot)] += 1
        references += 1
    }

    /// Drops a reference; the slot is reused once none remain.
    func release(_ slot: Int32) {
        let index = Int(slot)
        precondition(referenceCounts[index] > 0, "datagram slot released more often than retained")
        referenceCounts[index] -= 1
        references -= 1
        if referenceCounts[index] == 0 { free.append(slot) }
    }

    /// The bytes in `slot`, valid until its last reference is released.
    func bytes(_ slot: Int32) -> UnsafeRawBufferPointer {
        let index = Int(slot)
        return UnsafeRawBufferPointer(start: buffers[index], count: lengths[index])
    }

    /// The bytes in `slot`, writable (while the caller holds the only reference).
    func mutableBytes(_ slot: Int32) -> UnsafeMutableRawBufferPointer {
        let index = Int(slot)
        return UnsafeMutableRawBufferPointer(start: buffers[index], count: lengths[index])
    }

    /// Length of the datagram in `slot`.
    func length(_ slot: Int32) -> Int { lengths[Int(slot)] }
}
