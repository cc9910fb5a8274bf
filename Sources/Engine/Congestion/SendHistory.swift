/// Per-transport record of what was sent with which transport-wide sequence number: a ring
/// indexed by the sequence number (no allocation after creation), so transport-cc feedback can be
/// matched to send times and sizes.
///
/// Every slot holds an entry, never an optional: a slot nothing was recorded in holds one whose
/// sequence number belongs to another slot (slot `i` starts with `i + 1`), so a lookup is one
/// comparison of sequence numbers and a record one plain store.
public struct SendHistory: Sendable {
    /// One sent packet.
    public struct Entry: Sendable, Equatable {
        /// Transport-wide sequence number.
        public var sequence: UInt16
        /// When the packet left the engine.
        public var sentAt: Instant
        /// Datagram size in bytes.
        public var bytes: Int
        /// Probe cluster the packet belongs to (nil for media).
        public var probeCluster: Int?
    }

    private var entries: [Entry]
    private let mask: Int

    /// A history of the last `capacity` packets (rounded up to a power of two, at least 2;
    /// default 8192, about 4 s at 2000 packets/s, well above the feedback interval).
    public init(capacity: Int = 8_192) {
        var size = 2
        while size < capacity { size <<= 1 }
        // Slot `i` is only ever asked for sequence numbers `s` with `s & mask == i`; `i + 1` is
        // not one of them (size >= 2), so the placeholder matches no lookup.
        entries = (0..<size).map { Entry(sequence: UInt16(truncatingIfNeeded: $0 + 1), sentAt: .zero, bytes: 0) }
        mask = size - 1
    }

    /// Records a sent packet, overwriting the oldest entry in its slot.
    public mutating func record(sequence: UInt16, sentAt: Instant, bytes: Int, probeCluster: Int? = nil) {
        entries[Int(sequence) & mask] = Entry(sequence: sequence, sentAt: sentAt, bytes: bytes, probeCluster: probeCluster)
    }

    /// The packet sent with `sequence`, if it is still in the history.
    public func entry(sequence: UInt16) -> Entry? {
        let entry = entries[Int(sequence) & mask]
        guard entry.sequence == sequence else { return nil }
        return entry
    }
}
