import Engine
import Harness
import Testing

/// Subscribers cannot expect many more packets than the engine forwarded: `packetsExpected`
/// counts the output numbers from each stream's first to its highest, so a jump in a consumer's
/// sequence numbers inflates it (and `lossAfterRecovery` with it). These trials showed such
/// jumps before `SequenceRewriter` dropped packets from before the current run (4g seed 1:
/// 40,456 expected of 18,950 forwarded, loss 0.54; 3g seed 1: 95,979 of 9,702).
@Suite struct TrialExpectedPacketsTests {
    static func run(network: String, seed: UInt64) throws -> [String: Double] {
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 5),
                             network: try NetworkScenario.preset(named: network), duration: .seconds(10), seed: seed)
        return try TrialRunner().run(spec).metrics
    }

    @Test(arguments: [("4g", UInt64(1)), ("3g", UInt64(1))])
    func expectedPacketsStayNearWhatWasForwarded(network: String, seed: UInt64) throws {
        let metrics = try Self.run(network: network, seed: seed)
        let expected = try #require(metrics["packetsExpected"])
        let forwarded = try #require(metrics["engine.packetsForwarded"])
        #expect(forwarded > 5_000)
        // Numbers the engine never sent (lost upstream and never padded) keep a little above 1.
        #expect(expected <= forwarded * 1.02, "\(network) seed \(seed): \(expected) expected of \(forwarded) forwarded")
        if network == "4g" {
            // The trial from the bug report: a 4g meeting loses far under 2 % after recovery.
            let loss = try #require(metrics["lossAfterRecovery"])
            #expect(loss < 0.02)
        }
    }
}
