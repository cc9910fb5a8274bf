import Engine
import RTP
import Testing

/// 5 % random loss on the publisher's link and on the subscriber's link: the engine NACKs the
/// publisher and retransmits to the subscriber over RTX, so the subscriber ends up with every
/// packet of the stream.
@Suite struct NackRecoveryScenario {
    @Test(arguments: [UInt64(1), 2, 3])
    func fivePercentLossBothWaysIsFullyRecovered(seed: UInt64) throws {
        let bench = EngineBench(seed: seed)
        bench.random = SeededGenerator(seed: seed &* 31)
        bench.uplinkLoss = 0.05
        bench.downlinkLoss = 0.05
        let (publisher, subscriber, send, receive, parameters) = try bench.connectVP8PublisherWithRTX()
        let rtxSSRC = try #require(parameters.rtxSSRC)
        let rtxPayloadType = try #require(parameters.rtxPayloadType)

        var sent: [UInt16: [UInt8]] = [:]
        var rtxSequence: UInt16 = 0
        var nack = NackGenerator(settings: NackSettings())
        var received = Set<UInt16>()
        var recoveredByRTX = 0

        bench.onReceive = { endpoint, bytes, now in
            if endpoint == publisher {
                // The publisher answers NACKs from the engine with RTX.
                guard RTPDemux.isRTCP(bytes), let packets = try? RTCPPacket.parseCompound(bytes) else { return [] }
                var answers: [(to: Endpoint, bytes: [UInt8])] = []
                for case .nack(let request) in packets {
                    for sequence in request.lostSequenceNumbers {
                        guard let original = sent[sequence],
                              let rtx = try? RTX.wrap(original, ssrc: 5_556, payloadType: 102, sequenceNumber: SequenceNumber(rtxSequence))
                        else { continue }
                        rtxSequence &+= 1
                        answers.append((send.local, rtx))
                    }
                }
                return answers
            }
            // The subscriber records packets (unwrapping RTX) and NACKs holes at once.
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes) else { return [] }
            var sequence = header.sequenceNumber.rawValue
            if header.ssrc == rtxSSRC {
                #expect(header.payloadType == rtxPayloadType)
                guard let original = try? RTX.unwrap(bytes, originalSSRC: parameters.ssrc, originalPayloadType: parameters.payloadType),
                      let originalHeader = try? RTPHeader(parsing: original) else { return [] }
                sequence = originalHeader.sequenceNumber.rawValue
                recoveredByRTX += 1
            }
            received.insert(sequence)
            let outcome = nack.received(sequence: sequence, isKeyFrame: false, now: now)
            guard !outcome.nackNow.isEmpty else { return [] }
            let request = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: parameters.ssrc, lostSequenceNumbers: outcome.nackNow)
            return [(receive.local, RTCPPacket.serializeCompound([.nack(request)]))]
        }

        var stream = SyntheticVP8Stream(ssrc: 5_555)
        stream.keyFrameInterval = 10_000
        var timestamp: UInt32 = 0
        // 300 counted frames, then 5 more so a loss at the very end is detectable by a later packet.
        for _ in 0..<305 {
            for packet in stream.nextFrame(timestamp: timestamp) {
                let header = try RTPHeader(parsing: packet)
                sent[header.sequenceNumber.rawValue] = packet
                bench.send(packet, from: publisher, to: send.local)
            }
            timestamp &+= 3_000
            // The subscriber's retries run on the same clock as the bench.
            let end = bench.now + .milliseconds(33)
            bench.run(until: end)
            let due = nack.due(now: bench.now)
            if !due.nack.isEmpty {
                let request = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: parameters.ssrc, lostSequenceNumbers: due.nack)
                bench.send(RTCPPacket.serializeCompound([.nack(request)]), from: subscriber, to: receive.local)
            }
        }
        // Let retransmissions finish (with retries) before counting.
        for _ in 0..<30 {
            bench.run(until: bench.now + .milliseconds(50))
            let due = nack.due(now: bench.now)
            if !due.nack.isEmpty {
                let request = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: parameters.ssrc, lostSequenceNumbers: due.nack)
                bench.send(RTCPPacket.serializeCompound([.nack(request)]), from: subscriber, to: receive.local)
            }
        }

        let headers = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc)
        let first = try #require(headers.first).sequenceNumber
        let expected = 600
        let missing = (0..<expected).filter { !received.contains(first.advanced(by: $0).rawValue) }
        #expect(missing.isEmpty, "unrecovered output sequence numbers: \(missing.prefix(20))")
        #expect(recoveredByRTX > 0)
        #expect(bench.engine.counters.nacksSent > 0)
        #expect(bench.engine.counters.retransmissionsSent > 0)
    }
}
