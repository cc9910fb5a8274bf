import Engine

/// Collects what the simulated participants observe during a trial into a `MetricSet`
/// (docs/metrics.md has every name, unit and definition): packet one-way delay, frame latency,
/// freezes per video stream, time to first frame.
final class MeasurementCollector {
    private(set) var metrics = MetricSet()
    private var freezeDetectors: [Int: FreezeDetector] = [:]
    private var firstFrameSeen: Set<Int> = []
    private(set) var videoFramesDecoded = 0
    private(set) var keyFramesDecoded = 0

    func recordPacketDelay(kind: MediaKind, milliseconds: Double) {
        metrics.packetDelay.record(milliseconds: milliseconds)
    }

    func recordVideoFrame(stream: Int, captureTime: Int64, now: Instant, subscribedAt: Instant, isKeyFrame: Bool) {
        videoFramesDecoded += 1
        if isKeyFrame { keyFramesDecoded += 1 }
        metrics.frameLatency.record(from: Instant(nanoseconds: captureTime), to: now)
        if firstFrameSeen.insert(stream).inserted {
            metrics.timeToFirstFrame.record(from: subscribedAt, to: now)
        }
        _ = freezeDetectors[stream, default: FreezeDetector()].frameRendered(at: now)
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
        return result
    }
}
