import Engine
import Foundation
import Testing
@testable import Tuner

@Suite("Sweep verdicts with a fake executor")
struct SweepVerdictTests {
    func sweep(_ experiment: Experiment, _ executor: any TrialExecutor) async throws -> SweepOutcome {
        try await Sweep.run(experiment, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2),
                            executor: executor, gitRevision: nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aaSweepNamesNoWinner(seed: UInt64) async throws {
        // Candidates differ only in a knob the fake ignores: same true latency, independent noise.
        let experiment = bitrateExperiment(values: [5_000, 6_000], seed: seed, key: "feedback.rtcp.maxAudioInterval")
        let outcome = try await sweep(experiment, FakeExecutor())
        #expect(outcome.winner == nil)
        #expect(outcome.results.verdict.hasPrefix("no significant winner"))
        let p = outcome.results.candidates[1].comparisons[0].pValue
        #expect(p > 0 && p <= 1)
    }

    @Test func betterByConstructionWins() async throws {
        let experiment = bitrateExperiment(values: [1_000_000, 2_000_000])
        let fake = FakeExecutor(effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 })
        let outcome = try await sweep(experiment, fake)
        #expect(outcome.winner == "webRtcTransport.initialAvailableOutgoingBitrate=2000000")
        let comparison = outcome.results.candidates[2].comparisons[0]
        #expect(comparison.significant && comparison.better)
        #expect(comparison.meanDifference < -50)
        let winnerFile = outcome.runDirectory.appendingPathComponent("winner.yaml").path
        let winner = try ExperimentLoader().loadProfile(at: winnerFile)
        #expect(winner.webRtcTransport.initialAvailableOutgoingBitrate == 2_000_000)
    }

    @Test func constraintVetoesABetterCandidate() async throws {
        let experiment = bitrateExperiment(values: [1_000_000, 2_000_000],
                                           constraints: [Constraint(parsing: "freezesPerMinute < 1")!])
        let fake = FakeExecutor(
            effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 },
            freezes: { $0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond > 1_500_000 ? 3 : 0.2 })
        let outcome = try await sweep(experiment, fake)
        #expect(outcome.winner == "webRtcTransport.initialAvailableOutgoingBitrate=1000000")
        let vetoed = outcome.results.candidates[2]
        #expect(vetoed.comparisons[0].significant && !vetoed.meetsConstraints)
    }

    @Test func allCandidatesVetoedMeansNoWinner() async throws {
        let experiment = bitrateExperiment(values: [2_000_000], constraints: [Constraint(parsing: "freezesPerMinute < 1")!])
        let fake = FakeExecutor(
            effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 },
            freezes: { $0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond > 1_500_000 ? 3 : 0.2 })
        let outcome = try await sweep(experiment, fake)
        #expect(outcome.winner == nil)
        #expect(outcome.results.verdict.contains("violating constraints"))
    }

    @Test func tooFewRepetitionsCannotNameAWinner() async throws {
        let experiment = bitrateExperiment(values: [2_000_000], repetitions: 3)
        let fake = FakeExecutor(effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 })
        let outcome = try await sweep(experiment, fake)
        #expect(outcome.winner == nil)
        #expect(outcome.results.candidates[1].comparisons[0].pValue == 0.25)
    }

    @Test func halvingKeepsTheBestAndFindsTheWinner() async throws {
        var experiment = bitrateExperiment(values: [700_000, 1_000_000, 1_500_000, 2_000_000])
        experiment.strategy = .successiveHalving(eta: 2, initialRepetitions: 2)
        let counting = CountingExecutor(inner: FakeExecutor(
            effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 }))
        let outcome = try await sweep(experiment, counting)
        #expect(outcome.winner == "webRtcTransport.initialAvailableOutgoingBitrate=2000000")
        #expect(await counting.counter.calls < 5 * 8)
    }
}

@Suite("Several objectives")
struct MultiObjectiveTests {
    @Test func paretoFrontAndWinnerNotWorseElsewhere() async throws {
        var experiment = bitrateExperiment(values: [1_000_000, 2_000_000])
        experiment.objectives = [Objective(metric: "frameLatency.p95", direction: .minimize),
                                 Objective(metric: "freezesPerMinute", direction: .minimize)]
        let fake = FakeExecutor(
            effect: { -Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond - 600_000) / 20_000 },
            freezes: { Double($0.webRtcTransport.initialAvailableOutgoingBitrate.bitsPerSecond) / 1_000_000 })
        let out = temporaryDirectory()
        let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out), executor: fake, gitRevision: nil)
        // Every candidate trades latency for freezes: all three are on the front.
        #expect(outcome.results.paretoFront.count == 3)
        // Lower latency costs significantly more freezes (8 pairs, all the same sign: exact p = 2/256),
        // and a winner must not be significantly worse on any objective.
        #expect(outcome.winner == nil)
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("## All objectives"))
    }
}
