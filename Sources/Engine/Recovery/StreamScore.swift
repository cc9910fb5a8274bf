/// A stream's quality score, 0 (nothing arrives) to 10 (nothing lost), with mediasoup's
/// semantics (`RtpStream::UpdateScore`, `RtpStreamSend::ReceiveRtcpReceiverReport`): each report
/// interval gives a sample `round(10 × delivered⁴)`, where `delivered` is the share of the
/// interval's packets that arrived; the score is the weighted average of the last
/// `historyLength` samples, the newest weighing most (weights 1, 2, 3, ...). A stream that stops
/// arriving is reset to 0 and one that comes back to 10, history cleared. See docs/nack-rtx.md.
struct StreamScore {
    /// Samples kept (mediasoup `ScoreHistogramLength`).
    static let historyLength = 24

    private(set) var value: Int
    private var history: [Int] = []

    init(initial: Int = 10) {
        value = initial
    }

    /// The sample for one interval in which `deliveredRatio` (0...1) of the packets arrived.
    static func sample(deliveredRatio: Double) -> Int {
        let ratio = max(0, min(1, deliveredRatio))
        return Int((ratio * ratio * ratio * ratio * 10).rounded())
    }

    /// Adds one interval's sample; returns whether the score changed.
    @discardableResult
    mutating func record(_ sample: Int) -> Bool {
        if history.count == Self.historyLength { history.removeFirst() }
        history.append(max(0, min(10, sample)))
        var weighted = 0, weights = 0
        for (index, sample) in history.enumerated() {
            weighted += (index + 1) * sample
            weights += index + 1
        }
        let before = value
        value = Int((Double(weighted) / Double(weights)).rounded())
        return value != before
    }

    /// Forgets the history and sets the score (0 when a stream stops, 10 when it comes back);
    /// returns whether the score changed.
    @discardableResult
    mutating func reset(to score: Int) -> Bool {
        history.removeAll(keepingCapacity: true)
        let before = value
        value = score
        return value != before
    }
}
