import Benchmark
import Engine

/// The forwarding hot path (`Engine.ForwardBenchmark`): one VP8 publisher to 0 (the ingress
/// cost alone), 1, 10 and 100 consumers, and 3-layer simulcast to 10. One benchmark iteration
/// forwards `scalingFactor` (1,000) input packets, so throughput is in thousands of input
/// packets per second and malloc counts are per 1,000 packets.
///
/// Timers are left out of the measured loop (`drivesTimers: false`): `handleTimeout` runs periodic
/// RTCP reports and bitrate allocation, not per-packet work, and allocates; `sfulab bench forward`
/// measures the loop with timers and reports their allocations separately.
let benchmarks: @Sendable () -> Void = {
    // No .cpuTotal: it has 10 ms resolution here, and with it enabled mallocCountTotal (which is
    // process-wide) saw up to 16 allocations per 100-consumer iteration, by all signs from the
    // CPU sampler's thread.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000,
        thresholds: [
            // Not one allocation, at any percentile: the hot-path contract of DESIGN.md.
            .mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict),
            // Times on shared 2-core machines move by tens of percent between runs (wall clock
            // more than CPU time): the stored thresholds catch gross regressions, not noise.
            .wallClock: .init(relative: [.p50: 50.0]),
            .throughput: .init(relative: [.p50: 50.0]),
        ])

    let workloads: [(name: String, configuration: ForwardBenchmark.Configuration)] = [0, 1, 10, 100].map {
        ("Forward_VP8_to_\($0)_consumers", .init(consumers: $0, drivesTimers: false))
    } + [("Forward_simulcast_to_10_consumers", .init(consumers: 10, simulcast: true, drivesTimers: false))]

    for (name, configuration) in workloads {
        let workload: ForwardBenchmark
        do {
            workload = try ForwardBenchmark(configuration)
        } catch {
            fatalError("cannot set up the forward benchmark: \(error)")
        }
        // No spaces or slashes in names: the thresholds tool stores names with them replaced but
        // reads them back unchanged.
        Benchmark(name) { benchmark in
            blackHole(workload.run(packets: benchmark.scaledIterations.count))
        } setup: {
            workload.warmUp()
        }
    }
}
