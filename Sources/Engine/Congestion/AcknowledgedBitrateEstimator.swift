/// The rate at which the receiver acknowledged packets, measured over their arrival times in a
/// sliding window (libwebrtc `AcknowledgedBitrateEstimator`, without its Bayesian smoothing).
/// It is the "estimated throughput" the AIMD controller decreases from and caps increases by.
public struct AcknowledgedBitrateEstimator: Sendable {
    /// Span of arrivals the rate is measured over. Default 500 ms.
    public let window: Duration
    private var samples: [(arrival: Instant, bytes: Int)] = []
    private var head = 0
    private var bytesInWindow = 0
    /// The last estimate (nil until a full window was seen).
    public private(set) var bitrate: Bitrate?

    public init(window: Duration = .milliseconds(500)) {
        self.window = window
        samples.reserveCapacity(1_024)
    }

    /// Adds the received packets of one feedback message (in arrival order) and updates the rate.
    public mutating func update(_ packets: [PacketResult]) {
        var latest: Instant?
        for packet in packets {
            guard let arrival = packet.arrivedAt else { continue }
            samples.append((arrival, packet.bytes))
            bytesInWindow += packet.bytes
            latest = max(latest ?? arrival, arrival)
        }
        guard let latest else { return }
        while head < samples.count, latest - samples[head].arrival > window {
            bytesInWindow -= samples[head].bytes
            head += 1
        }
        if head > 512 {
            samples.removeFirst(head)
            head = 0
        }
        guard let first = samples.first?.arrival, head < samples.count else { return }
        // Only report once the history spans (nearly) a whole window.
        if latest - first >= window * 0.9 || bitrate != nil {
            bitrate = Bitrate(bitsPerSecond: Int64(Double(bytesInWindow) * 8 / window.secondsDouble))
        }
    }
}
