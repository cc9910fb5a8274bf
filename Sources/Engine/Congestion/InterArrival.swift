/// Groups packets into send-time bursts and yields the deltas between consecutive groups
/// (draft-ietf-rmcat-gcc-02 §5.2; libwebrtc `InterArrivalDelta`): packets sent within
/// `burstInterval` of a group's first packet belong to it, and so do packets that arrive within
/// `burstInterval` of the group with a negative propagation delta (they queued behind it).
public struct InterArrival: Sendable {
    /// The differences between two consecutive packet groups.
    public struct Deltas: Sendable, Equatable {
        /// Last send time of the group minus that of the previous group.
        public var send: Duration
        /// Completion (last arrival) of the group minus that of the previous group.
        public var arrival: Duration
        /// Bytes in the group minus bytes in the previous group.
        public var sizeBytes: Int
    }

    private struct Group {
        var firstSend: Instant
        var lastSend: Instant
        var firstArrival: Instant
        var lastArrival: Instant
        var bytes: Int
    }

    /// Send-time span of one group. Default 5 ms.
    public let burstInterval: Duration
    /// `burstInterval` in whole nanoseconds: per-packet comparisons are of integer instants.
    private let burstNanoseconds: Int64
    private var current: Group?
    private var previous: Group?
    private var negativeArrivalDeltas = 0

    public init(burstInterval: Duration = .milliseconds(5)) {
        self.burstInterval = burstInterval
        burstNanoseconds = burstInterval.nanoseconds
    }

    /// Adds one received packet (in arrival order); returns deltas when it completes a group that
    /// has a predecessor.
    public mutating func add(sentAt: Instant, arrivedAt: Instant, bytes: Int) -> Deltas? {
        guard var group = current else {
            current = Group(firstSend: sentAt, lastSend: sentAt, firstArrival: arrivedAt, lastArrival: arrivedAt, bytes: bytes)
            return nil
        }
        if sentAt < group.firstSend { return nil }  // reordered behind its group: ignored
        if startsNewGroup(group, sentAt: sentAt, arrivedAt: arrivedAt) {
            var deltas: Deltas?
            if let previous {
                let arrival = group.lastArrival - previous.lastArrival
                if arrival < .zero {
                    // The receive clock jumped back: after a few in a row, start over.
                    negativeArrivalDeltas += 1
                    if negativeArrivalDeltas >= 3 { reset() }
                    current = Group(firstSend: sentAt, lastSend: sentAt, firstArrival: arrivedAt, lastArrival: arrivedAt, bytes: bytes)
                    return nil
                }
                negativeArrivalDeltas = 0
                deltas = Deltas(send: group.lastSend - previous.lastSend, arrival: arrival, sizeBytes: group.bytes - previous.bytes)
            }
            previous = group
            current = Group(firstSend: sentAt, lastSend: sentAt, firstArrival: arrivedAt, lastArrival: arrivedAt, bytes: bytes)
            return deltas
        }
        group.lastSend = max(group.lastSend, sentAt)
        group.lastArrival = max(group.lastArrival, arrivedAt)
        group.bytes += bytes
        current = group
        return nil
    }

    public mutating func reset() {
        current = nil
        previous = nil
        negativeArrivalDeltas = 0
    }

    // The comparisons below are on nanosecond counts: the same results as with `Duration`
    // (whose comparison operators are not inlinable), at a fraction of the cost per packet.
    private func startsNewGroup(_ group: Group, sentAt: Instant, arrivedAt: Instant) -> Bool {
        if belongsToBurst(group, sentAt: sentAt, arrivedAt: arrivedAt) { return false }
        return sentAt.nanoseconds &- group.firstSend.nanoseconds > burstNanoseconds
    }

    private func belongsToBurst(_ group: Group, sentAt: Instant, arrivedAt: Instant) -> Bool {
        // In nanoseconds (instants are whole nanoseconds; so is `burstNanoseconds`).
        let arrivalDelta = arrivedAt.nanoseconds &- group.lastArrival.nanoseconds
        let sendDelta = sentAt.nanoseconds &- group.lastSend.nanoseconds
        if sendDelta == 0 { return true }
        let propagationDelta = arrivalDelta &- sendDelta
        return propagationDelta < 0 && arrivalDelta <= burstNanoseconds
            && arrivedAt.nanoseconds &- group.firstArrival.nanoseconds < 100_000_000
    }
}
