import Engine
import Harness
import Testing

/// The same trial spec and seed give the same result, bit for bit; another seed does not.
@Suite struct TrialDeterminismTests {
    func spec(seed: UInt64) throws -> TrialSpec {
        TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 3), network: try NetworkScenario.preset(named: "4g"),
                  duration: .seconds(4), seed: seed)
    }

    @Test func sameSeedGivesIdenticalResults() throws {
        let first = try TrialRunner().run(spec(seed: 42))
        let second = try TrialRunner().run(spec(seed: 42))
        #expect(first == second)
        #expect(first.metrics["packetDelay.count", default: 0] > 100)
    }

    @Test func differentSeedGivesDifferentResults() throws {
        let first = try TrialRunner().run(spec(seed: 1))
        let second = try TrialRunner().run(spec(seed: 2))
        #expect(first.metrics != second.metrics)
    }
}
