import Engine
import Harness
import Testing

/// A 5-participant meeting over the 4G preset: worse networks give worse figures. The tests
/// assert directions, not magic numbers.
@Suite struct TrialDirectionTests {
    func run(_ adjust: (inout NetworkScenario) -> Void, seed: UInt64 = 5) throws -> [String: Double] {
        var network = try NetworkScenario.preset(named: "4g")
        adjust(&network)
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 5), network: network,
                             duration: .seconds(8), seed: seed)
        return try TrialRunner().run(spec).metrics
    }

    @Test func moreLossMeansMoreLatencyAndMoreLoss() throws {
        let clean = try run { $0.uplink.loss = 0; $0.downlink.loss = 0 }
        let lossy = try run { $0.uplink.loss = 0.08; $0.downlink.loss = 0.08 }
        #expect(lossy["network.lostPackets"]! > clean["network.lostPackets"]!)
        #expect(lossy["frameLatency.p95"]! > clean["frameLatency.p95"]!)
        #expect(lossy["lossAfterRecovery"]! > clean["lossAfterRecovery"]!)
        #expect(lossy["engine.retransmissionsSent"]! > clean["engine.retransmissionsSent"]!)
    }

    @Test func lessBandwidthMeansLessBitrateAndMoreDelay() throws {
        let wide = try run { $0.downlink.bandwidth = 5_000 }
        let narrow = try run { $0.downlink.bandwidth = 400 }
        #expect(narrow["receivedBitrate.mean"]! < wide["receivedBitrate.mean"]!)
        #expect(narrow["packetDelay.p95"]! > wide["packetDelay.p95"]!)
    }
}
