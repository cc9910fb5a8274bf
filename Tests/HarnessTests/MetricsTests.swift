import Engine
import Testing
@testable import Harness

@Suite("Metric collectors")
struct MetricsTests {
    @Test("histogram percentiles, mean and max of 1...1000 ms")
    func histogramPercentiles() throws {
        var histogram = LatencyHistogram()
        for value in 1...1_000 { histogram.record(milliseconds: Double(value)) }
        #expect(histogram.count == 1_000)
        // 3 significant digits: within 0.1% (plus one microsecond of rounding).
        for (got, want) in [(histogram.p50, 500.0), (histogram.p90, 900.0), (histogram.p95, 950.0), (histogram.p99, 990.0)] {
            let value = try #require(got)
            #expect(abs(value - want) <= want * 0.001 + 0.001, "\(value) vs \(want)")
        }
        #expect(histogram.mean == 500.5)
        #expect(abs(try #require(histogram.max) - 1_000) <= 1)
        let metrics = histogram.metrics(prefix: "packetDelay")
        #expect(Set(metrics.keys) == ["packetDelay.p50", "packetDelay.p90", "packetDelay.p95", "packetDelay.p99",
                                      "packetDelay.mean", "packetDelay.max", "packetDelay.count"])
    }

    @Test("histogram keeps microsecond resolution, clamps negatives, merges, and is empty-safe")
    func histogramDetails() throws {
        var a = LatencyHistogram()
        #expect(a.p50 == nil && a.mean == nil)
        #expect(a.metrics(prefix: "x") == ["x.count": 0])
        a.record(milliseconds: 0.123)
        a.record(.microseconds(456))
        a.record(milliseconds: -3)
        #expect(a.clampedCount == 1)
        #expect(a.min == 0)
        #expect(abs(try #require(a.max) - 0.456) < 0.0005)
        var b = LatencyHistogram()
        b.record(milliseconds: 120_000)  // beyond the initial 60 s range: the histogram grows
        a.merge(b)
        #expect(a.count == 4)
        #expect(abs(try #require(a.max) - 120_000) <= 120)
    }

    @Test("a recorded value is the microseconds rounded half away from zero, as Double.rounded() does")
    func histogramRounding() throws {
        var random = SeededGenerator(seed: 41)
        var values: [Double] = [0, -0.0, 0.0005, 0.0015, 0.0025, 2.4995, 0.00049999999999999, 1e-4, -0.0003, -0.0005, -5,
                                4_503_599_627.370495, 4_503_599_627.370497, 1e13]
        values += (0..<2_000).map { _ in Double.random(in: 0..<1_000, using: &random) }
        values += (0..<2_000).map { _ in Double(Int.random(in: 0..<2_000_000, using: &random)) / 2_000 }
        for milliseconds in values {
            var histogram = LatencyHistogram()
            histogram.record(milliseconds: milliseconds)
            let rounded = (milliseconds * 1_000).rounded()
            let expected = rounded < 0 ? 0 : rounded
            #expect(histogram.mean == expected / 1_000, "\(milliseconds) ms")
            #expect(histogram.clampedCount == (rounded < 0 ? 1 : 0), "\(milliseconds) ms")
        }
        var skipped = LatencyHistogram()
        for value in [Double.nan, .infinity, -.infinity] { skipped.record(milliseconds: value) }
        #expect(skipped.count == 0)
    }

    @Test("percentiles in one walk equal percentile(_:) asked one at a time")
    func histogramPercentilesInOneWalk() {
        var random = SeededGenerator(seed: 42)
        let levels: [Double] = [0.1, 1, 25, 50, 50, 90, 95, 99, 99.9]
        for size in [1, 2, 3, 7, 100, 1_000, 20_000] {
            var histogram = LatencyHistogram()
            for _ in 0..<size {
                // Mostly 1-200 ms, a few far above the initial 60 s range, some repeated.
                let value = Int.random(in: 0..<50, using: &random) == 0
                    ? Double.random(in: 60_000...200_000, using: &random)
                    : Double(Int.random(in: 1_000...200_000, using: &random)) / 1_000
                histogram.record(milliseconds: value)
            }
            #expect(histogram.percentiles(levels) == levels.map { histogram.percentile($0)! }, "\(size) values")
        }
    }

    @Test("steady 30 fps has no freeze; a 200 ms gap is one")
    func freezeBasics() {
        var detector = FreezeDetector()
        var time = Instant.zero
        for _ in 0..<100 {
            let froze = detector.frameRendered(at: time)
            #expect(!froze)
            time = time + .milliseconds(33)
        }
        // Average 33 ms: threshold max(99, 183) = 183 ms before the gap; including the gap itself
        // in the 30-gap mean, a gap G freezes when G ≥ (29·33 + G)/30 + 150, i.e. G ≥ 188.2 ms.
        time = time + .milliseconds(188 - 33)
        let froze = detector.frameRendered(at: time)
        #expect(!froze)
        time = time + .milliseconds(33)
        for _ in 0..<40 {
            detector.frameRendered(at: time)
            time = time + .milliseconds(33)
        }
        time = time + .milliseconds(189 - 33)
        let froze2 = detector.frameRendered(at: time)
        #expect(froze2)
        #expect(detector.freezeCount == 1)
        #expect(detector.totalFreezeDuration == .milliseconds(189))
    }

    @Test("at low frame rates the 3× rule dominates")
    func freezeThreeTimes() {
        var detector = FreezeDetector()
        var time = Instant.zero
        for _ in 0..<40 {
            detector.frameRendered(at: time)
            time = time + .milliseconds(200)  // 5 fps
        }
        // Threshold 3 × mean; with the gap in the mean: G ≥ 3(29·200 + G)/30 → G ≥ 644.4 ms.
        let froze = detector.frameRendered(at: time + .milliseconds(644 - 200))
        #expect(!froze)
        time = time + .milliseconds(644 - 200)
        for _ in 0..<40 {
            detector.frameRendered(at: time)
            time = time + .milliseconds(200)
        }
        let froze2 = detector.frameRendered(at: time + .milliseconds(645 - 200))
        #expect(froze2)
        #expect(detector.freezeCount == 1)
    }

    @Test("no freeze before five gaps; out-of-order frames are ignored")
    func freezeWarmUp() {
        var detector = FreezeDetector()
        detector.frameRendered(at: .zero)
        detector.frameRendered(at: .milliseconds(33))
        detector.frameRendered(at: .milliseconds(66))
        let froze = detector.frameRendered(at: .milliseconds(2_000)) // 3rd gap: too early to judge
        #expect(!froze)
        let froze2 = detector.frameRendered(at: .milliseconds(1_000)) // earlier than the last frame
        #expect(!froze2)
        #expect(detector.framesRendered == 4)
        #expect(detector.renderedDuration == .milliseconds(2_000))
        #expect(detector.freezeCount == 0)
    }

    @Test("RFC 3550 jitter: zero for constant delay, converges to the mean |D| for alternating delay")
    func jitter() throws {
        var constant = JitterEstimator(clockRate: 90_000)
        var alternating = JitterEstimator()
        var rtp = JitterEstimator(clockRate: 90_000)
        for index in 0..<1_000 {
            let sent = Instant.milliseconds(Int64(index) * 20)
            constant.record(sentAt: sent, arrivedAt: sent + .milliseconds(50))
            let arrival = sent + .milliseconds(index.isMultiple(of: 2) ? 50 : 60)
            alternating.record(sentAt: sent, arrivedAt: arrival)
            // 20 ms = 1,800 ticks at 90 kHz, starting near the wrap point.
            rtp.record(rtpTimestamp: UInt32.max - 5_000 &+ UInt32(index * 1_800), arrival: arrival)
        }
        #expect(constant.jitterMilliseconds == 0)
        // |D| is always 10 ms, so J → 10 ms.
        #expect(abs(alternating.jitterMilliseconds - 10) < 1e-6)
        #expect(abs(rtp.jitterMilliseconds - alternating.jitterMilliseconds) < 1e-6)
        #expect(rtp.jitterTimestampUnits == 900 || rtp.jitterTimestampUnits == 899)
        #expect(try #require(alternating.meanJitterMilliseconds) > 9)
        #expect(constant.updates == 999)
    }

    @Test("one step of the RFC 3550 recursion")
    func jitterStep() {
        var estimator = JitterEstimator()
        estimator.record(sentAt: .zero, arrivedAt: .milliseconds(10))
        estimator.record(sentAt: .milliseconds(20), arrivedAt: .milliseconds(36))  // D = (36 − 10) − 20 = 6 ms
        #expect(abs(estimator.jitterMilliseconds - 6.0 / 16) < 1e-9)
    }

    @Test("bit-rate meter: sliding window series and mean")
    func bitrate() throws {
        var meter = BitrateMeter(window: .seconds(1), step: .milliseconds(500))
        // 1 Mb/s for 4 s (1,250 bytes every 10 ms), then nothing for 2 s.
        for index in 0..<400 { meter.record(bytes: 1_250, at: .milliseconds(Int64(index) * 10)) }
        meter.advance(to: .seconds(6))
        #expect(meter.series.count == 12)
        #expect(meter.series.prefix(8).allSatisfy { abs($0.value - 1_000) < 1e-9 })
        #expect(abs(meter.series[8].value - 500) < 1e-9)   // window (3.5, 4.5]: half full
        #expect(meter.series[10].value == 0)
        #expect(meter.series.map(\.t) == stride(from: 0.5, through: 6.0, by: 0.5).map { $0 })
        #expect(abs(try #require(meter.meanKilobitsPerSecond) - 1_000 * 4 / 6) < 1e-9)
    }

    @Test("time series keeps one point per interval")
    func timeSeries() {
        var series = TimeSeries(interval: .milliseconds(100))
        for index in 0..<100 { series.record(Double(index), at: .milliseconds(Int64(index) * 10)) }
        #expect(series.points.count == 10)
        #expect(series.points.map(\.value) == stride(from: 0.0, to: 100, by: 10).map { $0 })
        #expect(series.mean == 45)
        #expect(series.maximum == 90 && series.minimum == 0 && series.last == 90)
    }

    @Test("metric set flattens to the documented names")
    func metricSet() {
        var set = MetricSet()
        set.packetDelay.record(milliseconds: 42)
        set.frameLatency.record(milliseconds: 80)
        set.timeToFirstFrame.record(milliseconds: 300)
        var detector = FreezeDetector()
        var time = Instant.zero
        for _ in 0..<1_800 {  // 60 s at 30 fps
            detector.frameRendered(at: time)
            time = time + .milliseconds(33)
        }
        detector.frameRendered(at: time + .milliseconds(500))
        set.add(freezes: detector)
        var jitter = JitterEstimator()
        jitter.record(sentAt: .zero, arrivedAt: .milliseconds(10))
        jitter.record(sentAt: .milliseconds(20), arrivedAt: .milliseconds(46))
        set.add(jitter: jitter)
        var meter = BitrateMeter()
        meter.record(bytes: 125_000, at: .zero)
        meter.advance(to: .seconds(1))
        set.add(receivedBitrate: meter, seriesName: "receivedBitrate.p0")
        set.packetsExpected = 1_000
        set.packetsLostAfterRecovery = 5

        var other = MetricSet()
        other.packetDelay.record(milliseconds: 58)
        set.merge(other)

        let flat = set.flattened()
        #expect(flat["packetDelay.count"] == 2)
        #expect(flat["packetDelay.mean"] == 50)
        #expect(flat["frameLatency.p50"] != nil)
        #expect(flat["timeToFirstFrame.p50"] != nil)
        #expect(flat["jitter.mean"] != nil)
        #expect(flat["freezeCount"] == 1)
        #expect(abs(flat["freezesPerMinute"]! - 1 / (set.videoDuration.secondsDouble / 60)) < 1e-12)
        #expect(flat["freezeDuration.total"] == 533)
        #expect(flat["lossAfterRecovery"] == 0.005)
        #expect(flat["receivedBitrate.mean"] == 1_000)
        #expect(flat["engineLatency.count"] == 0 && flat["engineLatency.p50"] == nil)
        #expect(set.series["receivedBitrate.p0"]?.count == 2)
    }
}
