import RTP

/// Receive side of transport-wide congestion control
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the arrival time of every packet
/// carrying a transport-wide sequence number and, every feedback interval, reports them in
/// transport-cc feedback messages (RTPFB FMT 15), as browsers do for what they receive.
///
/// Sans-IO: `received` on arrivals, `nextDeadline`/`takeFeedback` on the timer. Arrivals are
/// kept in a reused buffer, so recording allocates nothing in steady state.
public struct TransportFeedbackGenerator: Sendable {
    /// Time between feedback messages.
    public let interval: Duration
    /// Most packets per message (keeps a message well under the MTU).
    public static let maxPacketsPerMessage = 250

    private var unwrapper = SequenceNumberUnwrapper()
    private var arrivals: [(sequence: Int64, arrivalMicroseconds: Int64)] = []
    /// Highest sequence number already reported (unwrapped).
    private var lastReported: Int64?
    private var feedbackCount: UInt8 = 0
    /// When feedback is due (read through the inlinable `nextDeadline()`).
    @usableFromInline private(set) var nextFeedbackAt: Instant?

    public init(interval: Duration = .milliseconds(100)) {
        self.interval = interval
        arrivals.reserveCapacity(512)
    }

    /// Records that the packet with transport-wide sequence number `sequence` arrived at `now`.
    public mutating func received(sequence: UInt16, now: Instant) {
        let extended = unwrapper.unwrap(sequence)
        if let lastReported, extended <= lastReported { return }
        arrivals.append((extended, now.nanoseconds / 1_000))
        if nextFeedbackAt == nil { nextFeedbackAt = now + interval }
    }

    /// When feedback is due next (nil while nothing waits to be reported). Inlinable: owners ask
    /// after every packet, and an outlined call would copy the generator out of its owner.
    @inlinable
    public func nextDeadline() -> Instant? { nextFeedbackAt }

    /// The feedback messages due at `now` (empty before the deadline or with nothing to report).
    public mutating func takeFeedback(senderSSRC: UInt32, mediaSSRC: UInt32, now: Instant) -> [RTCPTransportFeedback] {
        guard let due = nextFeedbackAt, due <= now else { return [] }
        nextFeedbackAt = nil
        guard !arrivals.isEmpty else { return [] }
        // Arrivals nearly always come in sequence order already; a check costs less than the
        // sort's closure calls (the sort is stable, so sorted input would stay as it is anyway).
        if !Self.isSortedBySequence(arrivals) { arrivals.sort { $0.sequence < $1.sequence } }
        var messages: [RTCPTransportFeedback] = []
        var start = arrivals.startIndex
        // Report from the packet after the last reported one, so losses at the start show.
        var base = lastReported.map { $0 + 1 } ?? arrivals[start].sequence
        while start < arrivals.count {
            // Lost packets before the first arrival of this message are reported when they are
            // fewer than a message holds; the builder reads the arrivals in place.
            let first = base < arrivals[start].sequence && arrivals[start].sequence - base < Int64(Self.maxPacketsPerMessage)
                ? base : arrivals[start].sequence
            let message = arrivals.withUnsafeBufferPointer { list in
                RTCPTransportFeedback(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, feedbackPacketCount: feedbackCount,
                                      notReceivedFrom: first, arrivals: UnsafeBufferPointer(rebasing: list[start...]),
                                      maxEntries: Self.maxPacketsPerMessage)
            }
            guard !message.packets.isEmpty else { break }
            feedbackCount &+= 1
            messages.append(message)
            // The builder may stop early (a delta beyond 16 bits): resume after what it covered.
            let covered = Int64(message.packets.count)
            let last = first + covered - 1
            lastReported = max(lastReported ?? last, last)
            while start < arrivals.count, arrivals[start].sequence <= last { start += 1 }
            base = last + 1
        }
        arrivals.removeAll(keepingCapacity: true)
        return messages
    }

    private static func isSortedBySequence(_ list: [(sequence: Int64, arrivalMicroseconds: Int64)]) -> Bool {
        var index = list.startIndex + 1
        while index < list.endIndex {
            if list[index - 1].sequence > list[index].sequence { return false }
            index += 1
        }
        return true
    }
}
