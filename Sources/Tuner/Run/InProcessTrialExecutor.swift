import Foundation
import Harness

/// Runs simulated trials in this process with the harness's `TrialRunner`: no child processes,
/// for tests and for embedding the tuner in another program. `SubprocessTrialExecutor` is what
/// `sfulab sweep` uses for real parallelism.
public struct InProcessTrialExecutor: TrialExecutor {
    public var runner: TrialRunner

    public init(runner: TrialRunner = TrialRunner()) {
        self.runner = runner
    }

    public func run(_ spec: TrialSpec) async throws -> TrialResult {
        let clock = ContinuousClock()
        let started = clock.now
        var result = try runner.run(spec)
        result.wallSeconds = (clock.now - started).secondsDouble
        return result
    }
}
