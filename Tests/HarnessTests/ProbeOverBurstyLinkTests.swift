import Engine
@testable import Harness
import Testing

/// Probe clusters over links that deliver in bunches (virtual time): the `3g` preset's jittery
/// link that does not reorder (a packet held back by its jitter holds back the ones behind it,
/// which then arrive together) and a Mahimahi trace whose delivery opportunities come in bunches.
/// A cluster's arrivals are compressed there, so measured naively it looks faster than the link.
/// See docs/congestion-control.md ("Probing over links that deliver in bunches").
@Suite struct ProbeOverBurstyLinkTests {
    /// The bound on any probe result, as a multiple of the link's capacity (the reason is in
    /// docs/congestion-control.md).
    static let bound = 1.2

    /// The `3g` preset's uplink: 500 kb/s, 75 ms ± 15 ms, 1 % loss, 100 kB queue.
    static func threeGUplink() throws -> LinkProfile {
        try NetworkScenario.preset(named: "3g").uplink
    }

    /// Delivery opportunities in bunches of `perBunch` every `period` ms: mean `perBunch` ×
    /// 1,500 bytes per period (4 every 96 ms: 500 kb/s).
    static func bunchedTrace(perBunch: Int, period: Int64) throws -> BandwidthTrace {
        let timestamps = (1...100).flatMap { Array(repeating: Int64($0) * period, count: perBunch) }
        return try BandwidthTrace(mahimahiMilliseconds: timestamps, source: "bunched")
    }

    struct Run {
        var worstProbe = 0.0
        var probes = 0
        var highestEstimate = 0.0
    }

    /// Runs `seeds` loops of `seconds`, an application-limited sender (media at most
    /// `mediaLimit`) probing as the estimator asks; the largest probe result and estimate after
    /// `settle` s, as multiples of `capacity`.
    static func run(link: LinkProfile, capacity: Bitrate, mediaLimit: Bitrate?, initial: Bitrate, seeds: ClosedRange<UInt64>,
                    seconds: Double, traces: [String: BandwidthTrace] = [:]) throws -> Run {
        var run = Run()
        for seed in seeds {
            var loop = try CongestionLoop(link: link, initial: initial, seed: seed, traces: traces) { _ in capacity }
            loop.mediaLimit = mediaLimit
            loop.run(until: .seconds(seconds))
            for result in loop.probeResults {
                run.worstProbe = max(run.worstProbe, Double(result.bitrate.bitsPerSecond) / Double(capacity.bitsPerSecond))
                run.probes += 1
            }
            for sample in loop.samples {
                run.highestEstimate = max(run.highestEstimate, Double(sample.estimate.bitsPerSecond) / Double(capacity.bitsPerSecond))
            }
        }
        return run
    }

    @Test(arguments: [250_000, nil] as [Int64?])
    func probesOverTheThreeGUplinkStayNearItsCapacity(mediaLimit: Int64?) throws {
        let run = try Self.run(link: Self.threeGUplink(), capacity: .kbps(500), mediaLimit: mediaLimit.map { Bitrate(bitsPerSecond: $0) },
                               initial: 300_000, seeds: 1...20, seconds: 30)
        print("3g uplink, media limit \(mediaLimit.map { "\($0)" } ?? "none"): \(run.probes) probe results, largest \(run.worstProbe) x capacity; largest estimate \(run.highestEstimate) x capacity")
        #expect(run.probes >= 20)
        #expect(run.worstProbe <= Self.bound)
    }

    @Test func probesOverBunchedDeliveryOpportunitiesStayNearTheTraceRate() throws {
        let trace = try Self.bunchedTrace(perBunch: 4, period: 96)
        var link = LinkProfile()
        link.delay = 40
        link.trace = "bunched"
        link.queueBytes = 100_000
        let run = try Self.run(link: link, capacity: trace.meanRate, mediaLimit: 250_000, initial: 300_000, seeds: 1...5,
                               seconds: 30, traces: ["bunched": trace])
        print("bunched trace (\(trace.meanRate)): \(run.probes) probe results, largest \(run.worstProbe) x capacity; largest estimate \(run.highestEstimate) x capacity")
        #expect(run.probes >= 5)
        #expect(run.worstProbe <= Self.bound)
    }
}
