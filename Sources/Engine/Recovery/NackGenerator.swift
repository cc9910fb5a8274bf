import RTP

/// Receive-side loss detection and NACK scheduling for one RTP stream (RFC 4585 generic NACK),
/// with mediasoup `NackGenerator` semantics: missing sequence numbers are requested at once,
/// then again every round-trip time up to `maxRetries`; when too many are missing the list is
/// cleared and a key frame is requested instead.
/// Public so that simulated receivers in the harness request retransmissions the same way.
public struct NackGenerator: Sendable {
    struct Item: Sendable {
        var sequence: Int64
        var sentAt: Instant?
        var retries: Int
    }

    /// What one received packet caused.
    ///
    /// The numbers to NACK are always one run (the hole just before the packet), so the outcome
    /// holds their extended bounds rather than an array: nothing is allocated, retained or
    /// released for the packets that find no hole, which is nearly all of them.
    public struct Outcome {
        /// The extended sequence numbers to NACK now; empty most of the time.
        public var nackRange: Range<Int64> = 0..<0
        /// The missing list overflowed: ask for a key frame instead.
        public var requestKeyFrame = false

        /// Whether there is anything to NACK now.
        @inlinable public var hasNack: Bool { !nackRange.isEmpty }

        /// Sequence numbers to NACK now, oldest first; empty most of the time. The emptiness test
        /// is inlined into callers in other modules (the harness's receivers read this for every
        /// packet); only a packet after a hole calls out to build the list.
        @inlinable @inline(__always) public var nackNow: [UInt16] { hasNack ? nackList() : [] }

        /// `nackRange` as 16-bit sequence numbers.
        @usableFromInline func nackList() -> [UInt16] { nackRange.map { UInt16(truncatingIfNeeded: $0) } }
    }

    public let settings: NackSettings
    private var unwrapper = SequenceNumberUnwrapper()
    private var highest: Int64?
    private var items: [Item] = []
    private var keyFrames: [Int64] = []
    private var lastCheck: Instant = .zero
    public private(set) var rtt: Duration {
        didSet { refreshDeadline() }
    }
    /// `nextDeadline()`, refreshed by every mutating call: owners read it after every packet, and
    /// reading a stored value does not copy the generator out of a class property.
    @usableFromInline private(set) var deadline: Instant?

    /// Packets NACKed at least once and later received (recovered or merely reordered).
    public private(set) var recoveredCount = 0
    /// Packets given up on after `maxRetries` or for age.
    public private(set) var abandonedCount = 0

    public init(settings: NackSettings) {
        self.settings = settings
        rtt = .milliseconds(settings.defaultRtt)
        items.reserveCapacity(settings.maxNackPackets)
    }

    public var pendingCount: Int { items.count }

    public mutating func updateRTT(_ value: Duration) { rtt = value }

    /// Whether a retransmission of `sequence` repairs something: the number is on the missing
    /// list, or newer than anything received (mediasoup's `NackGenerator::ReceivePacket` with
    /// `isRecovered`). Without NACK nothing was asked for, so only new numbers qualify.
    public func wantsRetransmission(of sequence: UInt16) -> Bool {
        guard let last = highest else { return true }
        let extended = last + Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: last)))
        if extended > last { return true }
        return items.contains { $0.sequence == extended }
    }

    /// Records a received packet. `isRecovered` marks RTX-recovered packets.
    public mutating func received(sequence: UInt16, isKeyFrame: Bool, now: Instant) -> Outcome {
        defer { refreshDeadline() }
        var outcome = Outcome()
        let extended = unwrapper.unwrap(sequence)
        guard let last = highest else {
            highest = extended
            if isKeyFrame { keyFrames.append(extended) }
            return outcome
        }
        if extended <= last {
            // Out of order or retransmitted: no longer missing.
            if let index = items.firstIndex(where: { $0.sequence == extended }) {
                items.remove(at: index)
                recoveredCount += 1
            }
            return outcome
        }
        if isKeyFrame { keyFrames.append(extended) }
        trimKeyFrames(newest: extended)
        if extended > last + 1 && settings.enabled {
            let firstMissing = max(last + 1, extended - Int64(settings.maxPacketAge))
            let missing = extended - firstMissing
            if items.count + Int(missing) > settings.maxNackPackets {
                // Too many holes: drop requests older than the last key frame, else give up.
                removeItemsBeforeLastKeyFrame()
                if items.count + Int(missing) > settings.maxNackPackets {
                    abandonedCount += items.count
                    items.removeAll(keepingCapacity: true)
                    outcome.requestKeyFrame = true
                    highest = extended
                    return outcome
                }
            }
            var sequence = firstMissing
            while sequence < extended {
                items.append(Item(sequence: sequence, sentAt: now, retries: 1))
                sequence += 1
            }
            outcome.nackRange = firstMissing..<extended
        }
        highest = extended
        removeTooOld(newest: extended)
        return outcome
    }

    /// Sequence numbers due for another request at `now`; abandons the exhausted ones.
    public mutating func due(now: Instant) -> (nack: [UInt16], requestKeyFrame: Bool) {
        defer { refreshDeadline() }
        lastCheck = now
        var nack: [UInt16] = []
        var giveUp = false
        var index = 0
        while index < items.count {
            var item = items[index]
            if let sentAt = item.sentAt, now - sentAt < rtt {
                index += 1
                continue
            }
            if item.retries >= settings.maxRetries {
                items.remove(at: index)
                abandonedCount += 1
                giveUp = true
                continue
            }
            item.retries += 1
            item.sentAt = now
            items[index] = item
            nack.append(UInt16(truncatingIfNeeded: item.sequence))
            index += 1
        }
        // mediasoup asks for a key frame when it gives up on a packet of a video stream.
        return (nack, giveUp)
    }

    /// When the next retry is due, if anything is pending: the earliest item due, but no sooner
    /// than one timer period (`timerInterval`) after the previous check.
    @inlinable
    public func nextDeadline() -> Instant? { deadline }

    /// (Inlined: called for every packet, and its common case, nothing missing, is one test.)
    @inline(__always)
    private mutating func refreshDeadline() {
        // The common case, nothing missing, touches no container.
        guard !items.isEmpty else {
            deadline = nil
            return
        }
        deadline = earliestRetry()
    }

    /// `nextDeadline()` computed over the missing items (at least one).
    private func earliestRetry() -> Instant? {
        var earliest: Instant?
        for item in items {
            let due = (item.sentAt ?? .zero) + rtt
            if earliest == nil || due < earliest! { earliest = due }
        }
        return earliest.map { max($0, lastCheck + .milliseconds(settings.timerInterval)) }
    }

    /// (Inlined, as is `trimKeyFrames`: called for every packet, and the common case, nothing
    /// too old, is one comparison; the removal is out of line.)
    @inline(__always)
    private mutating func removeTooOld(newest: Int64) {
        let oldest = newest - Int64(settings.maxPacketAge)
        // Items are kept in ascending sequence order (appended above the highest, removed in
        // place), so the first one tells whether any is too old.
        guard let first = items.first, first.sequence < oldest else { return }
        removeItems(before: oldest)
    }

    /// Abandons the items older than `oldest`.
    private mutating func removeItems(before oldest: Int64) {
        let before = items.count
        items.removeAll { $0.sequence < oldest }
        abandonedCount += before - items.count
    }

    @inline(__always)
    private mutating func trimKeyFrames(newest: Int64) {
        let oldest = newest - Int64(settings.maxPacketAge)
        if let first = keyFrames.first, first < oldest { removeKeyFrames(before: oldest) }
    }

    /// Forgets the key frames older than `oldest`.
    private mutating func removeKeyFrames(before oldest: Int64) {
        keyFrames.removeAll { $0 < oldest }
    }

    private mutating func removeItemsBeforeLastKeyFrame() {
        guard let lastKeyFrame = keyFrames.last else { return }
        let before = items.count
        items.removeAll { $0.sequence < lastKeyFrame }
        abandonedCount += before - items.count
    }
}
