import RTP

/// Duplicate detection over the last 4096 sequence numbers.
///
/// A class holding its 512-byte bitmap in memory it allocates once: it is updated for every
/// received packet, where an array's uniqueness check and copy-on-write guard cost more than
/// the work itself.
final class RecentSequenceSet {
    /// Sequence numbers remembered (a power of two).
    static let window = 4_096
    private static let words = window / 64
    private let bits: UnsafeMutablePointer<UInt64>
    private var unwrapper = SequenceNumberUnwrapper()
    private var highest: Int64 = -1

    init() {
        bits = .allocate(capacity: Self.words)
        bits.initialize(repeating: 0, count: Self.words)
    }

    deinit {
        bits.deallocate()
    }

    /// Inserts; returns the extended sequence number when it is new, nil when already present
    /// (or too old to tell, treated as duplicate). The unwrapper moves only on new numbers (a
    /// duplicate or too-old one is never above the highest), so a consumer fed only the new
    /// numbers would unwrap them to the same values: `FrameAssembler` takes them from here.
    func insert(_ sequence: UInt16) -> Int64? {
        let extended = unwrapper.unwrap(sequence)
        if extended == highest &+ 1 {
            // The next number in order (nearly every packet): the general path below would
            // clear its slot, find it clear and set it.
            highest = extended
            let index = Int(extended & Int64(Self.window - 1))
            bits[index >> 6] |= 1 << UInt64(index & 63)
            return extended
        }
        let previousHighest = highest
        if extended > highest {
            highest = extended
        } else if highest - extended >= Int64(Self.window) {
            return nil
        }
        if extended - previousHighest >= Int64(Self.window) {
            // Every slot is cleared (a first packet, or a jump past the window).
            bits.update(repeating: 0, count: Self.words)
        } else if extended > previousHighest {
            var clear = previousHighest + 1
            while clear <= extended {
                let index = Int(clear & Int64(Self.window - 1))
                bits[index >> 6] &= ~(1 << UInt64(index & 63))
                clear += 1
            }
        }
        let index = Int(extended & Int64(Self.window - 1))
        let mask: UInt64 = 1 << UInt64(index & 63)
        if bits[index >> 6] & mask != 0 { return nil }
        bits[index >> 6] |= mask
        return extended
    }
}
