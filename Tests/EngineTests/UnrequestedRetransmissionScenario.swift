import Engine
import RTP
import Testing

/// A publisher's RTX packet is forwarded only when it repairs a hole the engine asked about
/// (mediasoup's `RtpStreamRecv::ReceiveRtxPacket`): a retransmission of a packet that already
/// arrived — a late answer to a re-request, or libwebrtc's RTX probe padding — is dropped and
/// counted, so subscribers never get the same packet twice.
@Suite struct UnrequestedRetransmissionScenario {
    @Test func onlyRetransmissionsThatRepairAHoleAreForwarded() throws {
        let bench = EngineBench(seed: 5)
        let (publisher, subscriber, send, _, parameters) = try bench.connectVP8PublisherWithRTX()

        var stream = SyntheticVP8Stream(ssrc: 5_555)
        stream.keyFrameInterval = 10_000
        var sent: [UInt16: [UInt8]] = [:]
        var timestamp: UInt32 = 0
        var lost: UInt16?
        for frame in 0..<20 {
            for packet in stream.nextFrame(timestamp: timestamp) {
                let sequence = try RTPHeader(parsing: packet).sequenceNumber.rawValue
                sent[sequence] = packet
                // One packet of frame 10 never arrives in the first place.
                if frame == 10, lost == nil { lost = sequence; continue }
                bench.send(packet, from: publisher, to: send.local)
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        let hole = try #require(lost)
        let arrived = hole &- 5
        let forwardedBefore = bench.engine.counters.packetsForwarded

        var rtxSequence: UInt16 = 100
        for sequence in [arrived, hole, hole] {
            let rtx = try RTX.wrap(try #require(sent[sequence]), ssrc: 5_556, payloadType: 102,
                                   sequenceNumber: SequenceNumber(rtxSequence))
            rtxSequence &+= 1
            bench.send(rtx, from: publisher, to: send.local)
            bench.run(until: bench.now + .milliseconds(30))
        }

        // The hole's first retransmission goes out; the already-received packet and the second
        // copy of the repaired one do not.
        #expect(bench.engine.counters.packetsForwarded == forwardedBefore + 1)
        #expect(bench.engine.counters.dropped(.unrequestedRetransmission) == 2)
        #expect(bench.engine.counters.rtxPacketsReceived == 3)
        let delivered = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).map(\.sequenceNumber.rawValue)
        #expect(Set(delivered).count == delivered.count, "a sequence number reached the subscriber twice")
    }
}
