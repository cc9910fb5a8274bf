/// The rate at which the receiver acknowledged packets, measured over their arrival times in a
/// sliding window (libwebrtc `AcknowledgedBitrateEstimator`, without its Bayesian smoothing).
/// It is the "estimated throughput" the AIMD controller decreases from and caps increases by.
public struct AcknowledgedBitrateEstimator: Sendable {
    /// Span of arrivals the rate is measured over. Default 500 ms.
    public let window: Duration
    /// `window` in whole nanoseconds, and 90 % of it rounded up: what arrivals are compared with
    /// (integer comparisons of instants instead of `Duration` arithmetic per packet).
    private let windowNanoseconds: Int64
    private let nearlyWindowNanoseconds: Int64
    private var samples: [(arrival: Instant, bytes: Int)] = []
    private var head = 0
    private var bytesInWindow = 0
    private var firstArrival: Instant?
    /// The last estimate (nil until a full window was seen).
    public private(set) var bitrate: Bitrate?

    public init(window: Duration = .milliseconds(500)) {
        self.window = window
        windowNanoseconds = window.nanoseconds
        // d >= window * 0.9 for a whole number of nanoseconds d: d >= ceil(window * 0.9).
        let (seconds, attoseconds) = (window * 0.9).components
        nearlyWindowNanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            + (attoseconds % 1_000_000_000 > 0 ? 1 : 0)
        samples.reserveCapacity(1_024)
    }

    /// Adds the received packets of one feedback message (in arrival order) and updates the rate.
    public mutating func update(_ packets: [PacketResult]) {
        var latest: Instant?
        for packet in packets {
            guard let arrival = packet.arrivedAt else { continue }
            record(bytes: packet.bytes, arrival: arrival)
            latest = max(latest ?? arrival, arrival)
        }
        if let latest { refresh(latest: latest) }
    }

    /// `update` in two steps, for a caller already going over the packets: `record` each
    /// received packet of a message (in arrival order), then `refresh` with the latest arrival.
    mutating func record(bytes: Int, arrival: Instant) {
        samples.append((arrival, bytes))
        bytesInWindow += bytes
    }

    /// Adds one packet that arrived at `arrival` and updates the rate.
    public mutating func add(bytes: Int, arrival: Instant) {
        samples.append((arrival, bytes))
        bytesInWindow += bytes
        refresh(latest: arrival)
    }

    /// Drops the samples that left the window ending at `latest` and updates the rate.
    mutating func refresh(latest: Instant) {
        while head < samples.count, latest.nanoseconds &- samples[head].arrival.nanoseconds > windowNanoseconds {
            bytesInWindow -= samples[head].bytes
            head += 1
        }
        if head > 512 {
            samples.removeFirst(head)
            head = 0
        }
        guard head < samples.count else { return }
        if firstArrival == nil { firstArrival = samples[head].arrival }
        let first = firstArrival!
        // Only report once the history spans (nearly) a whole window.
        if bitrate != nil || latest.nanoseconds &- first.nanoseconds >= nearlyWindowNanoseconds {
            bitrate = Bitrate(bitsPerSecond: Int64(Double(bytesInWindow) * 8 / window.secondsDouble))
        }
    }
}
