import RTP

/// Receiver statistics for one incoming RTP stream (RFC 3550 §6.4.1 and §A.3, §A.8):
/// what a receiver report block says about it.
public struct ReceiveStatistics: Sendable {
    public let clockRate: Int
    private var unwrapper = SequenceNumberUnwrapper()
    public private(set) var baseSequence: Int64?
    public private(set) var highestSequence: Int64 = 0
    public private(set) var packetsReceived: Int64 = 0
    public private(set) var bytesReceived: Int64 = 0
    /// Interarrival jitter in RTP timestamp units, scaled by 16 as RFC 3550 §A.8 keeps it.
    private var jitterQ4: Int64 = 0
    private var lastTransit: Int64?
    private var expectedAtLastReport: Int64 = 0
    private var receivedAtLastReport: Int64 = 0
    /// Middle 32 bits of the NTP time of the last sender report, and when it arrived.
    public private(set) var lastSenderReportNTP: UInt32 = 0
    public private(set) var lastSenderReportArrival: Instant?

    public init(clockRate: Int) { self.clockRate = clockRate }

    /// Records a received packet (not RTX copies).
    public mutating func received(sequence: UInt16, timestamp: UInt32, bytes: Int, now: Instant) {
        let extended = unwrapper.unwrap(sequence)
        if baseSequence == nil {
            baseSequence = extended
            highestSequence = extended
        } else if extended > highestSequence {
            highestSequence = extended
        }
        packetsReceived += 1
        bytesReceived += Int64(bytes)
        // Arrival time in RTP units; transit = arrival - timestamp (RFC 3550 §A.8).
        let arrival = now.nanoseconds / 1_000 * Int64(clockRate) / 1_000_000
        let transit = arrival - Int64(timestamp)
        if let last = lastTransit {
            var delta = transit - last
            // Timestamps wrap at 2^32; keep the delta in the short range.
            delta = Int64(Int32(truncatingIfNeeded: delta))
            jitterQ4 += abs(delta) - (jitterQ4 + 8) >> 4
        }
        lastTransit = transit
    }

    public mutating func senderReportReceived(ntpMiddle: UInt32, now: Instant) {
        lastSenderReportNTP = ntpMiddle
        lastSenderReportArrival = now
    }

    /// Packets expected from the first sequence number to the highest.
    public var expected: Int64 { baseSequence.map { highestSequence - $0 + 1 } ?? 0 }
    /// Cumulative packets lost (can be negative with duplicates, clamped as RFC 3550 says).
    public var cumulativeLost: Int64 { max(-(1 << 23), min((1 << 23) - 1, expected - packetsReceived)) }
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32 { UInt32(clamping: jitterQ4 >> 4) }
    /// Interarrival jitter in milliseconds.
    public var jitterMilliseconds: Double { Double(jitterQ4 >> 4) * 1_000 / Double(clockRate) }

    /// Fraction lost since the previous call, in 1/256 units (RFC 3550 §A.3); resets the interval.
    public mutating func takeFractionLost() -> UInt8 {
        let expectedInterval = expected - expectedAtLastReport
        let receivedInterval = packetsReceived - receivedAtLastReport
        expectedAtLastReport = expected
        receivedAtLastReport = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        guard expectedInterval > 0, lostInterval > 0 else { return 0 }
        return UInt8(clamping: (lostInterval << 8) / expectedInterval)
    }

    /// Delay since the last sender report in 1/65536 s units (DLSR), or 0 without one.
    public func delaySinceLastSenderReport(now: Instant) -> UInt32 {
        guard let arrival = lastSenderReportArrival else { return 0 }
        return UInt32(clamping: (now - arrival).nanoseconds * 65_536 / 1_000_000_000)
    }
}
