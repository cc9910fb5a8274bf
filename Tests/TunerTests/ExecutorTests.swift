import Engine
import Foundation
import Harness
import Testing
@testable import Tuner

/// Suspends until cancelled (no timer of its own): stands in for a hung trial.
struct HangingExecutor: TrialExecutor {
    func run(_ spec: TrialSpec) async throws -> TrialResult {
        let stream = AsyncStream<Int> { _ in }
        for await _ in stream {}
        throw CancellationError()
    }
}

@Suite("Trial executors")
struct ExecutorTests {
    func spec() -> TrialSpec {
        TrialSpec(profile: Profile(), workload: WorkloadSpec(), network: NetworkPresetCatalog.standard.lookup("4g")!,
                  duration: .seconds(1), seed: 7)
    }

    @Test func subprocessExecutorReadsTheTrialJSON() async throws {
        let json = #"{"metrics":{"frameLatency.p95":42.5},"series":{},"simulatedSeconds":1,"wallSeconds":0.1,"mode":"simulated"}"#
        // $1 = --spec, $2 = FILE, $3 = --json; the script checks the spec file exists.
        let script = "test \"$1\" = --spec && test -s \"$2\" && test \"$3\" = --json && printf '%s' '\(json)'"
        let executor = SubprocessTrialExecutor(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script, "sh"])
        let result = try await executor.run(spec())
        #expect(result.metrics["frameLatency.p95"] == 42.5)
    }

    @Test func subprocessFailureCarriesStandardError() async throws {
        let executor = SubprocessTrialExecutor(executable: URL(fileURLWithPath: "/bin/sh"),
                                               arguments: ["-c", "echo 'engine exploded' >&2; exit 3", "sh"])
        do {
            _ = try await executor.run(spec())
            Issue.record("expected a failure")
        } catch let error as TunerError {
            #expect(error.code == .trialFailed)
            #expect(error.message.contains("status 3") && error.message.contains("engine exploded"))
        }
    }

    @Test func hungTrialTimesOutAndTheSweepGoesOn() async throws {
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 1)
        let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2,
                                                                            trialTimeout: .milliseconds(20)),
                                          executor: HangingExecutor(), gitRevision: nil)
        #expect(outcome.results.trials.count == 2)
        #expect(outcome.results.trials.allSatisfy { $0.status == .failed && ($0.error ?? "").contains("timed out") })
        #expect(outcome.winner == nil)
    }

    @Test func defaultExecutorRunsSimulatedTrialsInChildProcesses() throws {
        #expect(makeDefaultExecutor(mode: .simulated) is SubprocessTrialExecutor)
    }

    /// Records the order in which trials arrive.
    actor Arrivals {
        var bitrates: [Int64] = []
        func add(_ bitrate: Int64) { bitrates.append(bitrate) }
    }

    struct OrderRecorder: TrialExecutor {
        let arrivals: Arrivals
        func run(_ spec: TrialSpec) async throws -> TrialResult {
            await arrivals.add(spec.profile.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond)
            return try await FakeExecutor().run(spec)
        }
        var maximumConcurrency: Int? { 1 }
    }

    @Test func oneAtATimeTheCandidatesTakeTurns() async throws {
        let arrivals = Arrivals()
        _ = try await Sweep.run(bitrateExperiment(values: [1_000_000], repetitions: 3), options: SweepOptions(outDirectory: temporaryDirectory()),
                                executor: OrderRecorder(arrivals: arrivals), gitRevision: nil)
        #expect(await arrivals.bitrates == [600_000, 1_000_000, 600_000, 1_000_000, 600_000, 1_000_000])
    }

    @Test func liveModeRunsLiveTrialsOneAtATime() throws {
        let executor = makeDefaultExecutor(mode: .live)
        let live = try #require(executor as? LiveTrialExecutor)
        #expect(live.subprocess.arguments == ["trial", "--mode", "live"])
        let user = try #require(makeDefaultExecutor(mode: .live, impairment: .user) as? LiveTrialExecutor)
        #expect(user.subprocess.arguments == ["trial", "--mode", "live", "--impairment", "user"])
        let store = RunStore(directory: temporaryDirectory())
        #expect(SweepRunner(executor: executor, store: store, jobs: 8).jobs == 1)
        #expect(SweepRunner(executor: makeDefaultExecutor(mode: .simulated), store: store, jobs: 8).jobs == 8)
    }
}
