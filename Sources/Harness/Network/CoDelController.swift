import Engine

/// Controlled Delay active queue management (RFC 8289), applied where the bottleneck takes the
/// next packet off its queue.
///
/// Follows the RFC's pseudocode (section 5): a packet whose sojourn time has stayed at or above
/// `target` for at least `interval` starts a dropping state; while dropping, the next drop comes
/// `interval / sqrt(count)` after the previous (the control law), and dropping stops as soon as a
/// packet's sojourn falls below `target` or the queue holds at most one MTU.
public struct CoDelController: Sendable, Hashable {
    /// Acceptable standing queue delay (RFC 8289: 5 ms).
    public var target: Duration
    /// Sliding window over which the minimum sojourn must exceed `target` (RFC 8289: 100 ms).
    public var interval: Duration
    /// Queue size (bytes) at or below which no packet is dropped (one MTU).
    public var maxPacketBytes: Int

    private var firstAboveTime: Instant?
    private var dropNext = Instant.zero
    private var count = 0
    private var lastCount = 0
    /// Whether the controller is in its dropping state.
    public private(set) var dropping = false

    public init(target: Duration = .milliseconds(5), interval: Duration = .milliseconds(100), maxPacketBytes: Int = 1_500) {
        self.target = target
        self.interval = interval
        self.maxPacketBytes = maxPacketBytes
    }

    /// Takes the next packet to transmit off `queue` at `now`, dropping packets as CoDel decides;
    /// `drop` is called for each dropped packet. Returns nil when the queue ran empty.
    public mutating func dequeue<Payload>(
        from queue: inout PacketFIFO<LinkPacket<Payload>>, now: Instant, drop: (LinkPacket<Payload>) -> Void
    ) -> LinkPacket<Payload>? {
        var (packet, okToDrop) = doDequeue(from: &queue, now: now)
        guard packet != nil else {
            dropping = false
            return nil
        }
        if dropping {
            if !okToDrop {
                dropping = false
            }
            while dropping && now >= dropNext, let victim = packet {
                drop(victim)
                count += 1
                (packet, okToDrop) = doDequeue(from: &queue, now: now)
                if !okToDrop || packet == nil {
                    dropping = false
                } else {
                    dropNext = controlLaw(dropNext)
                }
            }
        } else if okToDrop, let victim = packet {
            drop(victim)
            (packet, _) = doDequeue(from: &queue, now: now)
            dropping = true
            let delta = count - lastCount
            count = (delta > 1 && now - dropNext < interval * 16) ? delta : 1
            dropNext = controlLaw(now)
            lastCount = count
        }
        return packet
    }

    private mutating func doDequeue<Payload>(
        from queue: inout PacketFIFO<LinkPacket<Payload>>, now: Instant
    ) -> (LinkPacket<Payload>?, Bool) {
        guard let packet = queue.removeFirst() else {
            firstAboveTime = nil
            return (nil, false)
        }
        let sojourn = now - packet.sentAt
        if sojourn < target || queue.bytes <= maxPacketBytes {
            firstAboveTime = nil
            return (packet, false)
        }
        if let firstAbove = firstAboveTime {
            return (packet, now >= firstAbove)
        }
        firstAboveTime = now + interval
        return (packet, false)
    }

    /// RFC 8289 control law: the next drop `interval / sqrt(count)` after `t`.
    private func controlLaw(_ t: Instant) -> Instant {
        let nanoseconds = Double(interval.nanoseconds) / Double(max(count, 1)).squareRoot()
        return t + .nanoseconds(Int64(nanoseconds))
    }
}
