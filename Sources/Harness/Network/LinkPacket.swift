import Engine

/// A datagram inside a `LinkEmulator`, and what the emulator reports when it comes out.
public struct LinkPacket<Payload> {
    /// What was sent.
    public var payload: Payload
    /// Size on the wire, bytes (what the bottleneck and queue limits count).
    public var bytes: Int
    /// When `send` was called.
    public var sentAt: Instant
    /// When it left the bottleneck (equal to `sentAt` on an unlimited link).
    public var departedAt: Instant
    /// When it reaches the far end.
    public var deliveredAt: Instant
    /// Whether this is the extra copy made by duplication.
    public var isDuplicate: Bool

    public init(payload: Payload, bytes: Int, sentAt: Instant, departedAt: Instant,
                deliveredAt: Instant, isDuplicate: Bool) {
        self.payload = payload
        self.bytes = bytes
        self.sentAt = sentAt
        self.departedAt = departedAt
        self.deliveredAt = deliveredAt
        self.isDuplicate = isDuplicate
    }
}

extension LinkPacket: Sendable where Payload: Sendable {}

/// What a `LinkEmulator` has done so far.
public struct LinkCounters: Sendable, Hashable {
    /// Calls to `send`.
    public var sent = 0
    /// Bytes offered to `send`.
    public var sentBytes = 0
    /// Packets dropped by the loss model.
    public var droppedByLoss = 0
    /// Packets dropped by the queue: droptail overflow (bytes or sojourn limit) or CoDel.
    public var droppedByQueue = 0
    /// Of `droppedByQueue`, those CoDel dropped at the head of the queue.
    public var droppedByCoDel = 0
    /// Extra copies made by duplication.
    public var duplicated = 0
    /// Packets handed out by `poll` (duplicates included).
    public var delivered = 0
    /// Bytes handed out by `poll`.
    public var deliveredBytes = 0

    public init() {}
}
