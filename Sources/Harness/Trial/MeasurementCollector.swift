import Engine
import Histogram

/// Collects what the simulated participants observe during a trial and turns it into the
/// metrics DESIGN.md defines (docs/metrics.md has the exact names and units):
/// packet one-way delay, frame latency, freezes, time to first frame, and per-stream counters.
final class MeasurementCollector {
    /// Values are recorded in microseconds; up to one hour.
    private static func makeHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    private(set) var audioPacketDelay = makeHistogram()
    private(set) var videoPacketDelay = makeHistogram()
    private(set) var frameLatency = makeHistogram()
    private(set) var audioLatency = makeHistogram()
    private(set) var timeToFirstFrame = makeHistogram()
    private var freezeDetectors: [Int: FreezeTracker] = [:]
    private var firstFrameSeen: Set<Int> = []
    private(set) var videoFramesDecoded = 0
    private(set) var keyFramesDecoded = 0

    func recordPacketDelay(kind: MediaKind, milliseconds: Double) {
        let micros = UInt64(max(1, (milliseconds * 1_000).rounded()))
        switch kind {
        case .audio: _ = audioPacketDelay.record(micros)
        case .video: _ = videoPacketDelay.record(micros)
        }
    }

    func recordVideoFrame(stream: Int, captureTime: Int64, now: Instant, subscribedAt: Instant, isKeyFrame: Bool) {
        videoFramesDecoded += 1
        if isKeyFrame { keyFramesDecoded += 1 }
        _ = frameLatency.record(UInt64(max(1, (now.nanoseconds - captureTime) / 1_000)))
        if firstFrameSeen.insert(stream).inserted {
            _ = timeToFirstFrame.record(UInt64(max(1, (now - subscribedAt).nanoseconds / 1_000)))
        }
        freezeDetectors[stream, default: FreezeTracker()].frame(at: now)
    }

    func recordAudioFrame(stream: Int, captureTime: Int64, now: Instant, subscribedAt: Instant) {
        _ = audioLatency.record(UInt64(max(1, (now.nanoseconds - captureTime) / 1_000)))
    }

    /// Freeze totals over every video stream.
    var freezes: (count: Int, totalSeconds: Double) {
        freezeDetectors.values.reduce((0, 0)) { ($0.0 + $1.freezeCount, $0.1 + $1.freezeDuration.secondsDouble) }
    }

    var videoStreamCount: Int { freezeDetectors.count }
}

/// Freeze detection for one video stream (DESIGN.md): a freeze is an inter-frame gap of at least
/// max(3 × average gap, average gap + 150 ms), the average over the last 30 gaps.
struct FreezeTracker {
    private var gaps: [Duration] = []
    private var gapSum: Duration = .zero
    private var lastFrameAt: Instant?
    private(set) var freezeCount = 0
    private(set) var freezeDuration: Duration = .zero
    static let window = 30

    mutating func frame(at now: Instant) {
        defer { lastFrameAt = now }
        guard let last = lastFrameAt else { return }
        let gap = now - last
        if gaps.count >= 5 {
            let average = gapSum / gaps.count
            if gap >= max(average * 3, average + .milliseconds(150)) {
                freezeCount += 1
                freezeDuration += gap
            }
        }
        gaps.append(gap)
        gapSum += gap
        if gaps.count > Self.window { gapSum -= gaps.removeFirst() }
    }
}
