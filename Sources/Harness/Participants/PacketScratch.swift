/// A reusable buffer where a simulated sender writes an outgoing packet before copying it into an
/// array of exactly its size.
///
/// Allocating the array first and writing into it costs more: `Array(repeating:count:)` and
/// `Array(unsafeUninitializedCapacity:)` are not specialized for the caller and look the array's
/// storage type up at run time on every call, whereas `Array(UnsafeRawBufferPointer)` is
/// specialized (one allocation and one copy). A class so that senders borrow the owner's buffer
/// without copying it; not shared between threads.
final class PacketScratch {
    private var storage: UnsafeMutableRawBufferPointer

    init(capacity: Int = 2_048) {
        storage = .allocate(byteCount: Swift.max(capacity, 1), alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// A packet of `count` bytes, every one of which `write` must set (the buffer holds whatever
    /// the previous packet left).
    func makePacket(count: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
        if storage.count < count {
            storage.deallocate()
            storage = .allocate(byteCount: count, alignment: 16)
        }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])
        write(bytes)
        return Array(UnsafeRawBufferPointer(bytes))
    }
}
