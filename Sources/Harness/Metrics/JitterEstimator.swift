import Engine

/// RFC 3550 interarrival jitter (section 6.4.1, appendix A.8): for consecutive packets i, j,
/// `D(i,j) = (Rj − Ri) − (Sj − Si)` and `J ← J + (|D(i,j)| − J)/16`.
///
/// Feed it either RTP timestamps with the stream's clock rate (what a receiver report carries)
/// or send and receive instants (what the harness knows exactly). It reports the current
/// estimate and the mean of the estimate over all updates, in milliseconds.
public struct JitterEstimator: Sendable, Hashable {
    /// RTP clock rate, Hz (90,000 for video, 48,000 for Opus); used by `record(rtpTimestamp:arrival:)`.
    public let clockRate: Int
    private var lastArrival: Instant?
    private var lastRTPTimestamp: UInt32 = 0
    private var lastSent: Instant?
    /// Current estimate, in seconds (kept in seconds so both entry points share it).
    private var jitterSeconds: Double = 0
    private var sumJitterSeconds: Double = 0
    /// Number of updates (packets after the first).
    public private(set) var updates = 0

    public init(clockRate: Int = 90_000) {
        self.clockRate = max(clockRate, 1)
    }

    /// Current jitter estimate, ms.
    public var jitterMilliseconds: Double { jitterSeconds * 1_000 }

    /// Current jitter estimate in RTP timestamp units (as an RTCP receiver report carries it).
    public var jitterTimestampUnits: UInt32 { UInt32(min(jitterSeconds * Double(clockRate), Double(UInt32.max))) }

    /// Mean of the estimate over all updates, ms; nil before the second packet.
    public var meanJitterMilliseconds: Double? {
        updates > 0 ? sumJitterSeconds / Double(updates) * 1_000 : nil
    }

    /// Records a packet by its RTP timestamp (wrap-aware) and arrival time.
    public mutating func record(rtpTimestamp: UInt32, arrival: Instant) {
        defer {
            lastArrival = arrival
            lastRTPTimestamp = rtpTimestamp
        }
        guard let previous = lastArrival else { return }
        let sentDelta = Double(Int32(bitPattern: rtpTimestamp &- lastRTPTimestamp)) / Double(clockRate)
        update(difference: (arrival - previous).secondsDouble - sentDelta)
    }

    /// Records a packet by its send and arrival instants.
    public mutating func record(sentAt: Instant, arrivedAt: Instant) {
        defer {
            lastSent = sentAt
            lastArrival = arrivedAt
        }
        guard let previousSent = lastSent, let previousArrival = lastArrival else { return }
        update(difference: (arrivedAt - previousArrival).secondsDouble - (sentAt - previousSent).secondsDouble)
    }

    private mutating func update(difference: Double) {
        jitterSeconds += (abs(difference) - jitterSeconds) / 16
        sumJitterSeconds += jitterSeconds
        updates += 1
    }
}
