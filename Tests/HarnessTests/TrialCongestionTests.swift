import Engine
import Harness
import Testing

/// Congestion control in whole trials: one presenter, one listener whose downlink is the
/// bottleneck. The engine's live estimate for the listener's transport is what
/// `series["bandwidthEstimate"]` shows, and the layers it forwards follow it.
@Suite struct TrialCongestionTests {
    static func webinar(downlinkKbps: Double, uplinkKbps: Double? = nil, duration: Int,
                        profile: Profile = Profile()) throws -> TrialResult {
        var listener = LinkProfile()
        listener.delay = 25
        listener.bandwidth = downlinkKbps
        listener.queueBytes = 100_000
        var open = LinkProfile()
        open.delay = 25
        var presenter = open
        presenter.bandwidth = uplinkKbps
        presenter.queueBytes = 100_000
        var network = NetworkScenario(name: "bottleneck", uplink: open, downlink: open,
                                      participants: ["0": LinkPair(uplink: presenter, downlink: open),
                                                     "1": LinkPair(uplink: open, downlink: listener)])
        network.name = "bottleneck \(downlinkKbps) kb/s"
        let spec = TrialSpec(profile: profile, workload: WorkloadSpec(participants: 2, kind: "webinar"), network: network,
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
        // Application-limited (the media cannot fill 1 Mb/s exactly): probes keep it near capacity.
        #expect(settled >= 750 && settled <= 1_000)
        // Top layer (1.5 Mb/s) does not fit: the listener gets the middle one.
        let layers = try #require(result.series["spatialLayer"])
        #expect(Self.mean(layers, from: 15, to: 30) < 1.5)
        // No standing queue: the median packet crosses the 25 ms link plus little queuing (the
        // tail holds the key frames of layer switches).
        print("trial 1 Mb/s bottleneck: packet delay p50 \(result.metrics["packetDelay.p50"]!) ms, p95 \(result.metrics["packetDelay.p95"]!) ms")
        #expect(result.metrics["packetDelay.p50"]! < 200)
    }

    @Test func aWideBottleneckGetsTheTopLayer() throws {
        let result = try Self.webinar(downlinkKbps: 4_000, duration: 30)
        let estimate = try #require(result.series["bandwidthEstimate"])
        let layers = try #require(result.series["spatialLayer"])
        print("trial 4 Mb/s bottleneck: estimate 15-30 s \(Self.mean(estimate, from: 15, to: 30)) kb/s, layer \(Self.mean(layers, from: 15, to: 30))")
        #expect(Self.mean(estimate, from: 15, to: 30) > 1_800)
        #expect(Self.mean(layers, from: 20, to: 30) > 1.9)
    }

    /// `maxIncomingBitrate` reaches the presenter as REMB: it turns its top encoding off, so even
    /// a listener with room to spare gets the middle layer.
    @Test func thePublisherTurnsOffEncodingsAboveTheREMB() throws {
        var profile = Profile()
        profile.webRtcTransport.maxIncomingBitrate = 900_000
        let result = try Self.webinar(downlinkKbps: 4_000, duration: 20, profile: profile)
        let layers = try #require(result.series["spatialLayer"])
        print("REMB 900 kb/s: listener layer 10-20 s \(Self.mean(layers, from: 10, to: 20))")
        #expect(Self.mean(layers, from: 10, to: 20) <= 1.0)
        #expect(Self.mean(layers, from: 10, to: 20) >= 0.9)
    }

    /// A presenter behind a 1 Mb/s uplink estimates it from the engine's transport-cc feedback and
    /// sends only what fits, so its media is not stuck in the uplink queue.
    @Test func aConstrainedPublisherSendsWhatItsUplinkCarries() throws {
        let constrained = try Self.webinar(downlinkKbps: 4_000, uplinkKbps: 1_000, duration: 20)
        let layers = try #require(constrained.series["spatialLayer"])
        print("uplink 1 Mb/s: listener layer 10-20 s \(Self.mean(layers, from: 10, to: 20)), packet delay p95 \(constrained.metrics["packetDelay.p95"] ?? -1) ms")
        #expect(Self.mean(layers, from: 10, to: 20) < 1.5)
        #expect(constrained.metrics["packetDelay.p95"]! < 400)
    }
}
