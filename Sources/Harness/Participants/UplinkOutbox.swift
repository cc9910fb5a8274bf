import Engine

/// The datagrams a simulated participant has queued for its uplink, their bytes side by side in
/// one reusable buffer: a sender writes a packet straight into the buffer (no array per packet),
/// and whoever drains the outbox copies the bytes once, onto its link.
///
/// The buffer and the entry list keep their storage between drains, so a participant in steady
/// state allocates nothing per packet here. A class so that the participant's senders reach the
/// one buffer without copying it; not shared between threads.
final class UplinkOutbox {
    /// One queued datagram, its bytes at `offset..<offset + count` in the buffer.
    private struct Entry {
        var from: Endpoint
        var to: Endpoint
        var offset: Int
        var count: Int
        var stamp: CongestionExtensions.Stamp?
    }

    /// A queued datagram as `drain` hands it out; `bytes` is valid only during the call.
    struct Queued {
        var from: Endpoint
        var to: Endpoint
        var bytes: UnsafeRawBufferPointer
        /// Congestion-control stamp still to be written onto the copy (`CongestionExtensions.apply`).
        var stamp: CongestionExtensions.Stamp?
    }

    private var storage: UnsafeMutableRawBufferPointer
    private var used = 0
    private var entries: [Entry] = []

    init(capacity: Int = 16_384) {
        storage = .allocate(byteCount: Swift.max(capacity, 1), alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// Datagrams queued.
    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// Queues a datagram of `count` bytes, every one of which `write` must set (the buffer holds
    /// whatever an earlier datagram left), and returns the written bytes (valid until the next
    /// append or drain).
    @discardableResult
    func append(from: Endpoint, to: Endpoint, stamp: CongestionExtensions.Stamp?, count: Int,
                _ write: (UnsafeMutableRawBufferPointer) -> Void) -> UnsafeRawBufferPointer {
        if used + count > storage.count { grow(toHold: used + count) }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: storage[used..<used + count])
        write(bytes)
        entries.append(Entry(from: from, to: to, offset: used, count: count, stamp: stamp))
        used += count
        return UnsafeRawBufferPointer(bytes)
    }

    /// Queues a copy of `bytes`.
    func append(from: Endpoint, to: Endpoint, stamp: CongestionExtensions.Stamp?, bytes: UnsafeRawBufferPointer) {
        append(from: from, to: to, stamp: stamp, count: bytes.count) { target in
            if let source = bytes.baseAddress, bytes.count > 0 {
                target.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            }
        }
    }

    /// Hands every queued datagram to `body`, oldest first, then empties the outbox (keeping its
    /// storage). Inlined so that the caller's `body` is too (it runs once per uplink packet).
    @inline(__always)
    func drain(_ body: (Queued) -> Void) {
        guard !entries.isEmpty else { return }
        let base = UnsafeRawBufferPointer(storage)
        for entry in entries {
            body(Queued(from: entry.from, to: entry.to,
                        bytes: UnsafeRawBufferPointer(rebasing: base[entry.offset..<entry.offset + entry.count]),
                        stamp: entry.stamp))
        }
        entries.removeAll(keepingCapacity: true)
        used = 0
    }

    /// Moves the queued bytes to a buffer of at least `needed` bytes (entries keep their offsets).
    private func grow(toHold needed: Int) {
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(needed, storage.count * 2), alignment: 16)
        if used > 0 { bigger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: used) }
        storage.deallocate()
        storage = bigger
    }
}
