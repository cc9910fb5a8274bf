/// One sent packet matched with what transport-cc feedback said about it.
public struct PacketResult: Sendable, Equatable {
    /// Transport-wide sequence number, unwrapped.
    public var sequence: Int64
    /// When the packet was sent (sender clock).
    public var sentAt: Instant
    /// When it arrived (receiver clock), nil when reported lost.
    public var arrivedAt: Instant?
    /// Datagram size in bytes.
    public var bytes: Int
    /// Probe cluster the packet belonged to (nil for media).
    public var probeCluster: Int?

    public init(sequence: Int64, sentAt: Instant, arrivedAt: Instant?, bytes: Int, probeCluster: Int? = nil) {
        self.sequence = sequence
        self.sentAt = sentAt
        self.arrivedAt = arrivedAt
        self.bytes = bytes
        self.probeCluster = probeCluster
    }

    public var isReceived: Bool { arrivedAt != nil }
}
