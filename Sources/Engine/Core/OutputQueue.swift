/// Datagrams the engine wants sent, stored back to back in one growable byte arena.
///
/// `poll()` hands out views into the arena; they stay valid until the next call that feeds the
/// engine input (`handle…`), which is when a fully drained arena is rewound. The arena and the
/// record array only grow when more output is pending than ever before, so steady-state
/// forwarding allocates nothing.
final class OutputQueue {
    struct Record {
        var from: Endpoint
        var to: Endpoint
        var offset: Int
        var length: Int
    }

    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var used = 0
    /// Queued datagrams are `records[0..<recordCount]`, in a manually managed array of
    /// `recordCapacity` (doubled when full, like the arena), so that queuing one pays no
    /// copy-on-write check. Entries past `recordCount` are left over from before the last rewind.
    private var records: UnsafeMutablePointer<Record>
    private var recordCapacity: Int
    private var recordCount = 0
    private var readIndex = 0

    init(initialBytes: Int = 256 * 1024) {
        arenaCapacity = initialBytes
        arena = .allocate(byteCount: initialBytes, alignment: 16)
        recordCapacity = 1_024
        records = .allocate(capacity: recordCapacity)
    }

    deinit {
        arena.deallocate()
        records.deallocate()
    }

    var isEmpty: Bool { readIndex == recordCount }
    var pendingCount: Int { recordCount - readIndex }

    /// Rewinds the arena when everything queued has been polled.
    func rewindIfDrained() {
        if readIndex == recordCount && readIndex > 0 {
            recordCount = 0
            readIndex = 0
            used = 0
        }
    }

    /// Reserves `capacity` bytes, lets `write` fill them and return the length used, and queues
    /// the datagram. Returns false (queuing nothing) when `write` returns 0.
    @discardableResult
    func append(from: Endpoint, to: Endpoint, capacity: Int,
                _ write: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
        // The arena grows out of line, only when more is pending than ever before.
        if used + capacity > arenaCapacity { grow(toFit: capacity) }
        let buffer = UnsafeMutableRawBufferPointer(start: arena + used, count: capacity)
        let length = write(buffer)
        guard length > 0 else { return false }
        precondition(length <= capacity, "writer overran its reservation")
        if recordCount == recordCapacity { growRecords() }
        // Records are plain values (no references): writing over a left-over one needs no deinitialization.
        (records + recordCount).initialize(to: Record(from: from, to: to, offset: used, length: length))
        recordCount += 1
        used += (length + 15) & ~15
        return true
    }

    /// Queues a copy of `bytes`.
    func append(from: Endpoint, to: Endpoint, copying bytes: UnsafeRawBufferPointer) {
        append(from: from, to: to, capacity: bytes.count) { buffer in
            if let source = bytes.baseAddress, bytes.count > 0 {
                buffer.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            }
            return bytes.count
        }
    }

    /// The next queued datagram, or nil.
    func next() -> Transmit? {
        guard readIndex < recordCount else { return nil }
        let record = records[readIndex]
        readIndex += 1
        return Transmit(from: record.from, to: record.to,
                        bytes: UnsafeRawBufferPointer(start: arena + record.offset, count: record.length))
    }

    private func growRecords() {
        recordCapacity *= 2
        records = records.reallocated(moving: recordCount, capacity: recordCapacity)
    }

    private func grow(toFit bytes: Int) {
        // Views handed out earlier point into the old arena; they are only valid until the next
        // input call, and the arena only grows during input calls, so copying is safe here.
        let newCapacity = max(arenaCapacity * 2, used + bytes)
        let newArena = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newArena.copyMemory(from: arena, byteCount: used)
        arena.deallocate()
        arena = newArena
        arenaCapacity = newCapacity
    }
}
