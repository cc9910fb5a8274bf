import Engine
import RTP
import Testing
@testable import Harness

/// The live load generator without sockets: wired to the in-process engine (its own
/// `SessionControl`) and driven in virtual time, so the generator's routing, links and collection
/// are checked deterministically; the real sockets and server are LiveHarnessTests' job.
@Suite("LiveLoadGenerator in virtual time")
struct LiveLoadGeneratorTests {
    func run(network: NetworkScenario, overTCP: Bool, seconds: Double = 4, impairment: LiveImpairment = .user,
             lent: ((RelayLinks) -> Void)? = nil, sent: (LiveLoadGenerator.Transmit) -> Void = { _ in }) throws -> TrialResult {
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: 3), network: network,
                             duration: .seconds(seconds), seed: 7)
        let engine = Engine(profile: spec.profile, seed: 99)
        let generator = try LiveLoadGenerator(spec: spec, control: engine, overTCP: overTCP, impairment: impairment)
        if impairment == .kernel { lent?(generator.lendLinks()) }
        generator.runInVirtualTime(against: engine, sent: sent)
        return generator.finish(engine: ["engineLatency.count": 0])
    }

    @Test("over a lossless network every stream decodes and nothing stays lost")
    func lossless() throws {
        let result = try run(network: try NetworkScenario.preset(named: "lossless"), overTCP: false)
        #expect(result.mode == "live")
        #expect(result.metrics["videoFramesDecoded", default: 0] > 3 * 2 * 60)
        #expect(result.metrics["frameLatency.count", default: 0] > 0)
        #expect(result.metrics["packetsLostAfterRecovery"] == 0)
        #expect(result.liveImpairments?["loss"]?.contains("dropped") == true)
    }

    @Test("over TCP a lossy link loses nothing: loss becomes retransmission delay")
    func tcp() throws {
        var lossy = try NetworkScenario.preset(named: "lossless")
        lossy.uplink.loss = 0.03
        lossy.downlink.loss = 0.03
        lossy.uplink.delay = 20
        lossy.downlink.delay = 20
        let overTCP = try run(network: lossy, overTCP: true)
        #expect(overTCP.metrics["network.lostPackets"] == 0)
        #expect(overTCP.metrics["tcp.retransmissions", default: 0] > 0)
        #expect(overTCP.metrics["packetsLostAfterRecovery"] == 0)
        #expect(overTCP.liveImpairments?["loss"]?.contains("TCPRecoveryModel") == true)
        let overUDP = try run(network: lossy, overTCP: false)
        #expect(overUDP.metrics["network.lostPackets", default: 0] > 0)
        #expect(overUDP.metrics["tcp.retransmissions"] == nil)
    }

    @Test("kernel impairment: the generator applies nothing itself and lends the scenario's links for every engine endpoint")
    func kernelLendsTheLinks() throws {
        var lossy = try NetworkScenario.preset(named: "lossless")
        lossy.uplink.loss = 0.5
        lossy.downlink.delay = 40
        var lent: RelayLinks?
        let result = try run(network: lossy, overTCP: true, impairment: .kernel) { links in
            lent = links
            // What a relay would do with the participants' IP packets: here 1,000 on participant 0's uplink.
            for index in 0..<1_000 {
                links.send(Array(repeating: 0, count: 100), participant: 0, uplink: true, now: Instant.zero + .microseconds(Int64(index)))
            }
        }
        let links = try #require(lent)
        #expect(links.count == 3)
        #expect(links.participantByEngineEndpoint.count == 6)
        #expect(Dictionary(grouping: links.participantByEngineEndpoint.values, by: { $0 }).mapValues(\.count) == [0: 2, 1: 2, 2: 2])
        // The lent emulators carry the scenario's loss (and its counters reach the result); the
        // participants' own datagrams went straight through, so nothing of theirs was lost or delayed.
        let dropped = links.counters.uplink[0].droppedByLoss
        #expect((400...600).contains(dropped))
        #expect(result.metrics["network.lostPackets"] == Double(dropped))
        #expect(result.metrics["packetsLostAfterRecovery"] == 0)
        #expect(result.metrics["frameLatency.p50", default: 100] < 40)
        #expect(result.metrics["tcp.segmentsLost"] == nil)
        #expect(result.liveImpairments?["loss"]?.hasPrefix("kernel (TUN in network namespaces)") == true)
    }

    @Test("what reaches the socket carries the participant's congestion stamps: transport-wide sequence 1, 2, 3... per sender")
    func transmitsAreStamped() throws {
        var sequences: [Endpoint: [UInt16]] = [:]
        var absSendTimes = 0
        _ = try run(network: try NetworkScenario.preset(named: "lossless"), overTCP: false, seconds: 2, sent: { transmit in
            transmit.bytes.withUnsafeBytes { bytes in
                guard !RTPDemux.isRTCP(bytes), let view = try? RTPPacketView(parsing: bytes),
                      let value = view.extensionValue(id: RouterCapabilities.HeaderExtensionID.transportWideCC),
                      let sequence = TransportWideSequenceNumberExtension.decode(value) else { return }
                sequences[transmit.from, default: []].append(sequence)
                if let time = view.extensionValue(id: RouterCapabilities.HeaderExtensionID.absSendTime),
                   time.contains(where: { $0 != 0 }) { absSendTimes += 1 }
            }
        })
        // Three publishers; a lossless link neither drops nor duplicates, so each sender's
        // sequence numbers are exactly 1...n (unstamped packets would all read 0).
        #expect(sequences.count == 3)
        for (_, sent) in sequences {
            #expect(sent.count > 100)
            #expect(Set(sent) == Set(1...UInt16(sent.count)))
        }
        #expect(absSendTimes > sequences.values.map(\.count).reduce(0, +) / 2)
    }
}
