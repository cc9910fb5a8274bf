import Engine
import Testing

/// `ProbeBitrateEstimator`'s validity rules, with arrivals written out (docs/congestion-control.md).
@Suite struct ProbeBitrateEstimatorTests {
    /// A 3.6 Mb/s cluster (25 packets of 279 bytes, 620 µs apart) registered with an estimator.
    static func cluster() -> (ProbeBitrateEstimator, ProbeCluster) {
        var estimator = ProbeBitrateEstimator()
        let cluster = ProbeCluster(id: 1, bitrate: .kbps(3_600))
        estimator.register(cluster)
        return (estimator, cluster)
    }

    static func packet(_ index: Int, arrivalMicroseconds: Int64?) -> PacketResult {
        PacketResult(sequence: Int64(index), sentAt: Instant(nanoseconds: Int64(index) * 620_000),
                     arrivedAt: arrivalMicroseconds.map { Instant(nanoseconds: 100_000_000 + $0 * 1_000) }, bytes: 279, probeCluster: 1)
    }

    /// The trial's overshoot: the first 7 packets of the cluster arrived bunched within 5 ms; the
    /// rest had not been reported yet. 7 of 25 packets is not a measurement of the cluster.
    @Test func aClusterWithFewerThanEightyPercentOfItsBytesGivesNoResult() {
        var (estimator, _) = Self.cluster()
        let results = (0..<7).compactMap { estimator.add(Self.packet($0, arrivalMicroseconds: Int64($0) * 750)) }
        #expect(results.isEmpty)
    }

    @Test func aReceiveRateAboveTwiceTheSendRateGivesNoResult() {
        var (estimator, _) = Self.cluster()
        // 25 packets arriving 100 µs apart: 22 Mb/s received of a 3.6 Mb/s cluster.
        let results = (0..<25).compactMap { estimator.add(Self.packet($0, arrivalMicroseconds: Int64($0) * 100)) }
        #expect(results.isEmpty)
    }

    @Test func aSaturatedLinkGivesNinetyFivePercentOfTheReceiveRate() throws {
        var (estimator, _) = Self.cluster()
        // A 500 kb/s link: 279 bytes every 4,464 µs.
        let results = (0..<25).compactMap { estimator.add(Self.packet($0, arrivalMicroseconds: Int64($0) * 4_464)) }
        let last = try #require(results.last)
        #expect(abs(last.kbps - 475) < 5)
    }

    /// A cluster that got no packet for more than `maxClusterAge` is forgotten when a packet of
    /// another cluster arrives: its later packets are measured as a cluster of their own (without
    /// forgetting, their span from the first packets would exceed the age and give no result).
    @Test func anIdleClusterIsForgottenWhenAnotherClusterReports() throws {
        var (estimator, _) = Self.cluster()
        estimator.register(ProbeCluster(id: 2, bitrate: .kbps(3_600)))
        let early = (0..<10).compactMap { estimator.add(Self.packet($0, arrivalMicroseconds: Int64($0) * 4_464)) }
        #expect(early.isEmpty)
        var other = Self.packet(50, arrivalMicroseconds: 1_500_000)
        other.probeCluster = 2
        _ = estimator.add(other)
        let late = (100..<125).compactMap {
            estimator.add(Self.packet($0, arrivalMicroseconds: 1_600_000 + Int64($0 - 100) * 4_464))
        }
        let last = try #require(late.last)
        #expect(abs(last.kbps - 475) < 5)
    }

    /// Packets sent milliseconds apart that arrive together were held back: the whole first bunch
    /// was carried before the measured span, so its bytes do not count, and the span starts when
    /// the first packet could have arrived (send time + base delay).
    @Test func aHeldBackFirstBunchDoesNotMakeTheLinkLookFaster() throws {
        var (estimator, _) = Self.cluster()
        estimator.baseDelay = .milliseconds(100)
        // 500 kb/s link, but the first 10 packets were held and arrive together with the 10th.
        let arrivals = (0..<25).map { Int64(max($0, 9)) * 4_464 }
        let results = (0..<25).compactMap { estimator.add(Self.packet($0, arrivalMicroseconds: arrivals[$0])) }
        let last = try #require(results.last)
        #expect(last.kbps <= 500)
    }
}

/// `BaseDelayTracker`: the smallest one-way delay over the current and the previous window.
@Suite struct BaseDelayTrackerTests {
    @Test func keepsTheSmallestDelayAndForgetsItAfterTwoWindows() {
        var tracker = BaseDelayTracker(window: .seconds(10))
        #expect(tracker.value == nil)
        tracker.add(sentAt: .milliseconds(0), arrivedAt: .milliseconds(80))
        tracker.add(sentAt: .milliseconds(100), arrivedAt: .milliseconds(140))
        tracker.add(sentAt: .milliseconds(200), arrivedAt: .milliseconds(300))
        #expect(tracker.value == .milliseconds(40))
        // Next window: the 40 ms minimum still counts.
        tracker.add(sentAt: .milliseconds(10_000), arrivedAt: .milliseconds(10_090))
        #expect(tracker.value == .milliseconds(40))
        // The window after: only the last two windows count.
        tracker.add(sentAt: .milliseconds(20_100), arrivedAt: .milliseconds(20_190))
        #expect(tracker.value == .milliseconds(90))
    }
}
