/// Per-transport record of what was sent with which transport-wide sequence number: a ring
/// indexed by the sequence number (no allocation after creation), so transport-cc feedback can be
/// matched to send times and sizes.
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

    private var entries: [Entry?]
    private let mask: Int

    /// A history of the last `capacity` packets (rounded up to a power of two; default 8192, about
    /// 4 s at 2000 packets/s, well above the feedback interval).
    public init(capacity: Int = 8_192) {
        var size = 1
        while size < capacity { size <<= 1 }
        entries = Array(repeating: nil, count: size)
        mask = size - 1
    }

    /// Records a sent packet, overwriting the oldest entry in its slot.
    public mutating func record(sequence: UInt16, sentAt: Instant, bytes: Int, probeCluster: Int? = nil) {
        entries[Int(sequence) & mask] = Entry(sequence: sequence, sentAt: sentAt, bytes: bytes, probeCluster: probeCluster)
    }

    /// The packet sent with `sequence`, if it is still in the history.
    public func entry(sequence: UInt16) -> Entry? {
        guard let entry = entries[Int(sequence) & mask], entry.sequence == sequence else { return nil }
        return entry
    }
}
