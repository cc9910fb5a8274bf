import Benchmark
import Engine

/// The forwarding hot path (`Engine.ForwardBenchmark`): one VP8 publisher to 1, 10 and 100
/// consumers. One benchmark iteration forwards `scalingFactor` (1,000) packets, so throughput is
/// in thousands of input packets per second and malloc counts are per 1,000 packets.
///
/// Timers are left out of the measured loop (`drivesTimers: false`): `handleTimeout` runs periodic
/// RTCP reports and bitrate allocation, not per-packet work, and allocates; `sfulab bench forward`
/// measures the loop with timers and reports their allocations separately.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000,
        thresholds: [
            // Not one allocation, at any percentile: the hot-path contract of DESIGN.md.
            .mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict),
            // Times on shared 2-core machines move by tens of percent between runs: the stored
            // thresholds catch gross regressions (2x), not noise.
            .wallClock: .init(relative: [.p50: 50.0]),
            .throughput: .init(relative: [.p50: 50.0]),
        ])

    for consumers in [1, 10, 100] {
        let workload: ForwardBenchmark
        do {
            workload = try ForwardBenchmark(.init(consumers: consumers, drivesTimers: false))
        } catch {
            fatalError("cannot set up the forward benchmark: \(error)")
        }
        // No spaces or slashes: the thresholds tool stores names with them replaced but reads them unchanged.
        Benchmark("Forward_VP8_to_\(consumers)_consumers") { benchmark in
            blackHole(workload.run(packets: benchmark.scaledIterations.count))
        } setup: {
            workload.warmUp()
        }
    }
}
