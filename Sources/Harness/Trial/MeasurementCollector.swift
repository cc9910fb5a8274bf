import Engine

/// Collects what the simulated participants observe during a trial into a `MetricSet`
/// (docs/metrics.md has every name, unit and definition): packet one-way delay, frame latency,
/// freezes per video stream, time to first frame, and the gap a device switch leaves.
final class MeasurementCollector {
    private(set) var metrics = MetricSet()
    /// By subscriber video stream key, created at the stream's first decoded frame.
    private var freezeDetectors: [Int: FreezeDetector] = [:]
    private(set) var videoFramesDecoded = 0
    private(set) var keyFramesDecoded = 0
    /// Device switches not yet seen through, by subscriber video stream key: the switch time.
    private var pendingSwitches: [Int: Instant] = [:]
    private var switchedStreams = 0
    /// Switch to the subscriber's first decodable frame of the new source, ms.
    private var switchGaps = LatencyHistogram()

    func recordPacketDelay(kind: MediaKind, milliseconds: Double) {
        metrics.packetDelay.record(milliseconds: milliseconds)
    }

    func recordVideoFrame(stream: Int, captureTime: Int64, now: Instant, subscribedAt: Instant, isKeyFrame: Bool) {
        videoFramesDecoded += 1
        if isKeyFrame { keyFramesDecoded += 1 }
        metrics.frameLatency.record(from: Instant(nanoseconds: captureTime), to: now)
        // A stream has a freeze detector from its first decoded frame on: one hash lookup
        // tells both whether this is that frame and where its detector is.
        if let index = freezeDetectors.index(forKey: stream) {
            freezeDetectors.values[index].frameRendered(at: now)
        } else {
            metrics.timeToFirstFrame.record(from: subscribedAt, to: now)
            var detector = FreezeDetector()
            detector.frameRendered(at: now)
            freezeDetectors[stream] = detector
        }
        if !pendingSwitches.isEmpty { noteSwitchedFrame(stream: stream, captureTime: captureTime, now: now) }
    }

    /// The publisher of `streams` (subscribers' video stream keys) switched its capture device at
    /// `now`. (Audio is not measured: with DTX a pause in speech would count as the gap.)
    func sourceReplaced(streams: [Int], at now: Instant) {
        for stream in streams { pendingSwitches[stream] = now }
        switchedStreams += streams.count
    }

    /// A frame captured at or after a pending switch on its stream closes that switch's gap.
    private func noteSwitchedFrame(stream: Int, captureTime: Int64, now: Instant) {
        guard let switched = pendingSwitches[stream], captureTime >= switched.nanoseconds else { return }
        pendingSwitches[stream] = nil
        switchGaps.record(from: switched, to: now)
    }

    /// A video stream was paused on purpose (mute, leave): its next gap is not a freeze.
    func streamInactive(stream: Int) {
        freezeDetectors[stream]?.streamInactive()
    }

    func recordAudioFrame(stream: Int, captureTime: Int64, now: Instant, subscribedAt: Instant) {}

    /// The finished metric set: freezes folded in from every video stream.
    func finish() -> MetricSet {
        var result = metrics
        for key in freezeDetectors.keys.sorted() { result.add(freezes: freezeDetectors[key]!) }
        if switchedStreams > 0 {
            result.extra["deviceSwitch.streams"] = Double(switchedStreams)
            result.extra.merge(switchGaps.metrics(prefix: "deviceSwitchGap")) { _, new in new }
        }
        return result
    }
}
