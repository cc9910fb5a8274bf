import Engine
import Harness
import Testing

/// Congestion control in whole trials: one presenter, one listener whose downlink is the
/// bottleneck. The engine's live estimate for the listener's transport is what
/// `series["bandwidthEstimate"]` shows, and the layers it forwards follow it.
@Suite struct TrialCongestionTests {
    static func webinar(downlinkKbps: Double, duration: Int, schedule: [ScheduledChange]? = nil) throws -> TrialResult {
        var listener = LinkProfile()
        listener.delay = 25
        listener.bandwidth = downlinkKbps
        listener.queueBytes = 100_000
        var open = LinkProfile()
        open.delay = 25
        var network = NetworkScenario(name: "bottleneck", uplink: open, downlink: open, schedule: schedule,
                                      participants: ["1": LinkPair(uplink: open, downlink: listener)])
        network.name = "bottleneck \(downlinkKbps) kb/s"
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 2, kind: "webinar"), network: network,
                             duration: .seconds(Int64(duration)), seed: 3)
        return try TrialRunner().run(spec)
    }

    static func mean(_ points: [SeriesPoint], from: Double, to: Double) -> Double {
        let values = points.filter { $0.t >= from && $0.t < to }.map(\.value)
        return values.reduce(0, +) / Double(max(1, values.count))
    }

    @Test func theEstimateSeriesFollowsTheListenersBottleneck() throws {
        let result = try Self.webinar(downlinkKbps: 1_000, duration: 30)
        let estimate = try #require(result.series["bandwidthEstimate"])
        let settled = Self.mean(estimate, from: 15, to: 30)
        print("trial 1 Mb/s bottleneck: estimate 15-30 s \(settled) kb/s, frame latency p95 \(result.metrics["frameLatency.p95"] ?? -1) ms")
        #expect(settled >= 800 && settled <= 1_000)
        // Top layer (1.5 Mb/s) does not fit: the listener gets the middle one.
        let layers = try #require(result.series["spatialLayer"])
        #expect(Self.mean(layers, from: 15, to: 30) < 1.5)
        #expect(result.metrics["packetDelay.p95"]! < 400)
    }

    @Test func aWideBottleneckGetsTheTopLayer() throws {
        let result = try Self.webinar(downlinkKbps: 4_000, duration: 30)
        let estimate = try #require(result.series["bandwidthEstimate"])
        let layers = try #require(result.series["spatialLayer"])
        print("trial 4 Mb/s bottleneck: estimate 15-30 s \(Self.mean(estimate, from: 15, to: 30)) kb/s, layer \(Self.mean(layers, from: 15, to: 30))")
        #expect(Self.mean(estimate, from: 15, to: 30) > 1_800)
        #expect(Self.mean(layers, from: 20, to: 30) > 1.9)
    }
}
