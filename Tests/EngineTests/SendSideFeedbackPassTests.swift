@testable import Engine
import RTP
import Testing

/// `SendSideBandwidthEstimator.handleFeedback` handles a message that lists its packets in
/// arrival order in one pass (each packet processed as it is matched); the general path matches
/// every packet, sorts them by arrival and processes them then. Two estimators fed the same
/// traffic, one forced onto the general path, must agree after every message.
@Suite struct SendSideFeedbackPassTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func onePassAgreesWithMatchingThenSorting(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let settings = CongestionSettings()
        var onePass = SendSideBandwidthEstimator(initial: 600_000, min: 30_000, max: 20_000_000, settings: settings)
        var general = onePass
        general.alwaysSortsFeedback = true
        onePass.setDesiredBitrate(5_000_000)
        general.setDesiredBitrate(5_000_000)
        var feedback = TransportFeedbackGenerator(interval: .milliseconds(100))
        var sequence: UInt16 = 65_000  // wraps during the run
        var now = Instant.zero
        // In flight: (arrival, sequence); a few packets overtake others (negative deltas).
        var inFlight: [(at: Instant, sequence: UInt16)] = []
        var inOrder = 0
        var outOfOrder = 0
        // The probe cluster being sent and how many of its packets are left.
        var probe: (id: Int, left: Int)?
        for step in 0..<6_000 {
            now = Instant(nanoseconds: Int64(step) * 1_000_000)
            // One to three packets a millisecond; the probe cluster's packets when one is asked for.
            for _ in 0..<(1 + Int(random.next() % 3)) {
                var cluster: Int?
                if let current = probe {
                    cluster = current.id
                    probe = current.left > 1 ? (current.id, current.left - 1) : nil
                }
                let bytes = cluster == nil ? 1_200 : 300
                onePass.packetSent(sequence: sequence, bytes: bytes, probeCluster: cluster, now: now)
                general.packetSent(sequence: sequence, bytes: bytes, probeCluster: cluster, now: now)
                let roll = random.next() % 100
                // 3 % lost, 20 % in the fourth second. Delays grow with a slow queue; in every
                // other second they jitter by up to 2 ms and 5 % of the packets jump 15 ms ahead
                // (the messages then list packets out of arrival order).
                if roll >= (step / 1_000 == 3 ? 20 : 3) {
                    var delay = 20_000_000 + Int64(step % 2_000) * 20_000
                    if (step / 1_000) % 2 == 1 {
                        delay += Int64(random.next() % 2_000_000)
                        if roll < 8 { delay -= 15_000_000 }
                    }
                    inFlight.append((now + .nanoseconds(delay), sequence))
                }
                sequence &+= 1
            }
            inFlight.sort { $0.at < $1.at }
            while let first = inFlight.first, first.at <= now {
                inFlight.removeFirst()
                feedback.received(sequence: first.sequence, now: first.at)
            }
            for message in feedback.takeFeedback(senderSSRC: 1, mediaSSRC: 2, now: now) {
                if message.packets.contains(where: { ($0.arrivalDeltaMicroseconds ?? 0) < 0 }) {
                    outOfOrder += 1
                } else {
                    inOrder += 1
                }
                let a = onePass.handleFeedback(message, now: now)
                let b = general.handleFeedback(message, now: now)
                #expect(a == b)
                #expect(onePass.usage == general.usage)
                #expect(onePass.rtt == general.rtt)
                #expect(onePass.acknowledgedBitrate == general.acknowledgedBitrate)
                #expect(onePass.lastProbeResult == general.lastProbeResult)
            }
            if step % 100 == 0 {
                onePass.process(now: now)
                general.process(now: now)
                let clusterA = onePass.takeProbeCluster()
                let clusterB = general.takeProbeCluster()
                #expect(clusterA?.id == clusterB?.id)
                #expect(clusterA?.bitrate == clusterB?.bitrate)
                if let clusterA { probe = (clusterA.id, 30) }
            }
        }
        // Both paths of the estimator under test were taken, and probes were measured.
        #expect(inOrder > 20 && outOfOrder > 5)
        #expect(onePass.probeResultCount > 0)
    }
}
