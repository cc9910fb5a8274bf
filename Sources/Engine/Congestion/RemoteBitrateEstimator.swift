import RTP

/// Receive-side estimate from abs-send-time (libwebrtc `RemoteBitrateEstimatorAbsSendTime`), the
/// path REMB reports on when a sender does not use transport-cc: the same inter-arrival grouping,
/// trendline and overuse detector as the send side, run on the send times the sender stamped in
/// abs-send-time (6.18 fixed point, unwrapped across its 64 s period), and an AIMD controller fed
/// with the incoming bitrate. Starts at the incoming bitrate once a second of media was seen.
public struct RemoteBitrateEstimator: Sendable {
    private var interArrival = InterArrival()
    private var trendline = TrendlineEstimator()
    private var detector = OveruseDetector()
    private var rateControl = AimdRateControl(initial: 300_000, min: 30_000, max: 100_000_000)
    private var incoming = AcknowledgedBitrateEstimator(window: .seconds(1))
    private var lastAbsSendTime: UInt32?
    private var sendClockNanoseconds: Int64 = 0
    private var firstArrival: Instant?
    /// The estimate (nil until a second of media was seen).
    public private(set) var estimate: Bitrate?

    public init() {}

    /// Adds a received packet that carried abs-send-time.
    public mutating func received(absSendTime: AbsSendTime, bytes: Int, now: Instant) {
        if let last = lastAbsSendTime {
            // 24-bit wrap-aware delta in 2^-18 s units.
            var delta = Int64(absSendTime.rawValue) - Int64(last)
            if delta > 0x80_0000 { delta -= 0x100_0000 } else if delta < -0x80_0000 { delta += 0x100_0000 }
            sendClockNanoseconds += delta * 1_000_000_000 >> 18
        }
        lastAbsSendTime = absSendTime.rawValue
        let sentAt = Instant(nanoseconds: sendClockNanoseconds)
        incoming.add(bytes: bytes, arrival: now)
        if firstArrival == nil { firstArrival = now }
        if estimate == nil {
            guard let first = firstArrival, now - first >= .seconds(1), let rate = incoming.bitrate else { return }
            rateControl.set(rate, now: now)
            estimate = rateControl.bitrate
        }
        guard let deltas = interArrival.add(sentAt: sentAt, arrivedAt: now, bytes: bytes) else { return }
        let trend = trendline.update(deltas: deltas, arrivedAt: now)
        let usage = detector.detect(trend: trend, sendDelta: deltas.send, deltaCount: trendline.deltaCount, now: now)
        estimate = rateControl.update(usage, throughput: incoming.bitrate, now: now)
    }
}
