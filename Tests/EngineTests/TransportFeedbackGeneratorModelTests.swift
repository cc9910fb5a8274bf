import Engine
import RTP
import Testing

/// `TransportFeedbackGenerator` builds each message's packets from its arrivals in place; it used
/// to build the list of (sequence, arrival) entries first and hand it to
/// `RTCPTransportFeedback(arrivals:)`. That generator is kept below as the reference: both are
/// fed the same arrivals (in and out of order, repeated, with gaps of every size, with arrival
/// jumps a 16-bit delta cannot carry) and must give the same messages.
@Suite struct TransportFeedbackGeneratorModelTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func buildsTheMessagesOfTheListBuildingGenerator(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var generator = TransportFeedbackGenerator(interval: .milliseconds(100))
        var reference = ReferenceTransportFeedbackGenerator(interval: .milliseconds(100))
        var sequence: UInt16 = 65_300
        var now = Instant.zero
        var messages = 0
        for step in 0..<20_000 {
            now = Instant(nanoseconds: Int64(step) * 500_000)
            if random.next() % 3 == 0 {
                // Mostly the next number; sometimes a gap (up to 400: longer than a message), an
                // older or repeated number; now and then an arrival time 9 s ahead (beyond a 16-bit delta).
                let roll = random.next() % 100
                let arrival: UInt16
                if roll < 5 {
                    arrival = sequence &+ UInt16(random.next() % 400)
                    sequence = arrival &+ 1
                } else if roll < 10 {
                    arrival = sequence &- UInt16(1 + random.next() % 5)
                } else {
                    arrival = sequence
                    sequence &+= 1
                }
                let at = roll == 99 ? now + .seconds(9) : now
                generator.received(sequence: arrival, now: at)
                reference.received(sequence: arrival, now: at)
            }
            #expect(generator.nextDeadline() == reference.nextDeadline())
            let built = generator.takeFeedback(senderSSRC: 7, mediaSSRC: 8, now: now)
            let expected = reference.takeFeedback(senderSSRC: 7, mediaSSRC: 8, now: now)
            #expect(built == expected)
            messages += built.count
        }
        #expect(messages > 50)
    }
}

/// The generator as it was before it built messages in place (the reference for the test above).
struct ReferenceTransportFeedbackGenerator {
    /// Time between feedback messages.
    let interval: Duration
    /// Most packets per message (keeps a message well under the MTU).
    static let maxPacketsPerMessage = 250

    private var unwrapper = SequenceNumberUnwrapper()
    private var arrivals: [(sequence: Int64, arrivalMicroseconds: Int64)] = []
    /// Highest sequence number already reported (unwrapped).
    private var lastReported: Int64?
    private var feedbackCount: UInt8 = 0
    /// When feedback is due (read through the inlinable `nextDeadline()`).
    private(set) var nextFeedbackAt: Instant?

    init(interval: Duration = .milliseconds(100)) {
        self.interval = interval
        arrivals.reserveCapacity(512)
    }

    /// Records that the packet with transport-wide sequence number `sequence` arrived at `now`.
    mutating func received(sequence: UInt16, now: Instant) {
        let extended = unwrapper.unwrap(sequence)
        if let lastReported, extended <= lastReported { return }
        arrivals.append((extended, now.nanoseconds / 1_000))
        if nextFeedbackAt == nil { nextFeedbackAt = now + interval }
    }

    /// When feedback is due next (nil while nothing waits to be reported). Inlinable: owners ask
    /// after every packet, and an outlined call would copy the generator out of its owner.
    func nextDeadline() -> Instant? { nextFeedbackAt }

    /// The feedback messages due at `now` (empty before the deadline or with nothing to report).
    mutating func takeFeedback(senderSSRC: UInt32, mediaSSRC: UInt32, now: Instant) -> [RTCPTransportFeedback] {
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
            var batch: [(sequenceNumber: UInt16, arrivalMicroseconds: Int64?)] = []
            // One allocation instead of one per doubling (lost packets come on top).
            batch.reserveCapacity(min(Self.maxPacketsPerMessage, arrivals.count - start + 16))
            if base < arrivals[start].sequence, arrivals[start].sequence - base < Int64(Self.maxPacketsPerMessage) {
                // Lost packets before the first arrival of this batch.
                for lost in base..<arrivals[start].sequence {
                    batch.append((UInt16(truncatingIfNeeded: lost), nil))
                }
            }
            var index = start
            var previous: Int64 = -1
            while index < arrivals.count, batch.count < Self.maxPacketsPerMessage {
                let arrival = arrivals[index]
                if arrival.sequence != previous {
                    batch.append((UInt16(truncatingIfNeeded: arrival.sequence), arrival.arrivalMicroseconds))
                    previous = arrival.sequence
                }
                index += 1
            }
            let message = RTCPTransportFeedback(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC,
                                                feedbackPacketCount: feedbackCount, arrivals: batch)
            guard !message.packets.isEmpty else { break }
            feedbackCount &+= 1
            messages.append(message)
            // The builder may stop early (a delta beyond 16 bits): resume after what it covered.
            let covered = Int64(message.packets.count)
            let first = base < arrivals[start].sequence && arrivals[start].sequence - base < Int64(Self.maxPacketsPerMessage)
                ? base : arrivals[start].sequence
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
