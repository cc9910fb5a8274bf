import Engine
import Foundation
import Harness
@testable import Tuner

/// Derives metrics from the spec: frame latency = 100 ms + `effect(profile)` + noise shared by the
/// seed (common random numbers) + noise of its own (seed and config). Deterministic.
struct FakeExecutor: TrialExecutor {
    var effect: @Sendable (Profile) -> Double = { _ in 0 }
    var freezes: @Sendable (Profile) -> Double = { _ in 0.2 }
    var sharedNoise = 6.0
    var ownNoise = 3.0

    func run(_ spec: TrialSpec) async throws -> TrialResult {
        var shared = SeededGenerator(seed: spec.seed)
        let hash = SweepPlan.fnv1a(Array(try SweepPlan.canonicalJSON(spec.profile)))
        var own = SeededGenerator(seed: spec.seed ^ hash)
        let latency = 100 + effect(spec.profile) + shared.nextGaussian() * sharedNoise + own.nextGaussian() * ownNoise
        let series = (0..<10).map { SeriesPoint(t: Double($0), value: Double(spec.profile.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond) / 1000 + Double($0) * 10) }
        return TrialResult(
            metrics: ["frameLatency.p50": latency * 0.6, "frameLatency.p95": latency, "frameLatency.p99": latency * 1.3,
                      "freezesPerMinute": freezes(spec.profile)],
            series: ["bandwidthEstimate": series], simulatedSeconds: 20, wallSeconds: 0.001, mode: "simulated")
    }
}

/// Counts calls; fails every call after the first `failAfter` when set.
actor CallCounter {
    var calls = 0
    func next() -> Int {
        calls += 1
        return calls
    }
}

struct CountingExecutor: TrialExecutor {
    var inner = FakeExecutor()
    let counter = CallCounter()
    var failAfter: Int?

    func run(_ spec: TrialSpec) async throws -> TrialResult {
        let n = await counter.next()
        if let failAfter, n > failAfter { throw TunerError(.trialFailed, "simulated crash in trial call \(n)") }
        return try await inner.run(spec)
    }
}

/// A fresh temporary directory.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tuner-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository root (for shipped YAML files).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A small experiment over one knob with `repetitions` on the 4g preset.
func bitrateExperiment(values: [Int], repetitions: Int = 8, seed: UInt64 = 1, constraints: [Constraint] = [],
                       key: String = "webRtcTransport.initialAvailableOutgoingBitrate") -> Experiment {
    Experiment(name: "test", networks: [NetworkPresetCatalog.standard.lookup("4g")!], duration: .seconds(20),
               axes: [SweepAxis(key: key, values: values.map { .scalar(String($0)) })], repetitions: repetitions,
               seed: seed, constraints: constraints)
}
