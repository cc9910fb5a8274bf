import Engine
import RTP
import Testing

/// A publisher behind a 300 ms round trip (150 ms each way) that never retransmits one lost
/// packet: the engine keeps asking for it. When the publisher answers the engine's RTCP XR RRTR
/// blocks with DLRR (RFC 3611, as libwebrtc does), the engine measures the round trip and spaces
/// its re-requests by it; without answers it falls back to `feedback.nack.defaultRtt` (100 ms).
@Suite struct PublisherRoundTripScenario {
    struct Outcome {
        /// When each NACK naming the lost packet reached the publisher.
        var requests: [Instant]
        var roundTrips: [Duration?]
        var measurements: Int
    }

    static let lostSequence: UInt16 = 1_000

    func run(answersReferenceTime: Bool) throws -> Outcome {
        let bench = EngineBench(seed: 3)
        bench.delay = .milliseconds(150)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let send = bench.engine.createTransport(remote: publisher)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, rtxPayloadType: 102,
            encodings: [ProducerEncoding(ssrc: 5_555, rtxSSRC: 5_556)]))

        var held: (lastReceiverReport: UInt32, arrival: Instant)?
        var requests: [Instant] = []
        bench.onReceive = { _, bytes, now in
            guard RTPDemux.isRTCP(bytes), let packets = try? RTCPPacket.parseCompound(bytes) else { return [] }
            for packet in packets {
                switch packet {
                case .extendedReport(let report):
                    if let rrtr = report.receiverReferenceTimes.last { held = (rrtr.compactNTPTimestamp, now) }
                case .nack(let nack):
                    if nack.lostSequenceNumbers.contains(Self.lostSequence) { requests.append(now) }
                default:
                    break
                }
            }
            return []
        }

        var stream = SyntheticVP8Stream(ssrc: 5_555)
        stream.sequence = Self.lostSequence &- 300
        stream.keyFrameInterval = 10_000
        var timestamp: UInt32 = 0
        for frame in 0..<300 {
            for packet in stream.nextFrame(timestamp: timestamp) {
                let header = try RTPHeader(parsing: packet)
                if header.sequenceNumber.rawValue != Self.lostSequence { bench.send(packet, from: publisher, to: send.local) }
            }
            // Once a second: a sender report, and DLRR for the engine's last RRTR (libwebrtc
            // answers in its next report, saying how long it held the RRTR).
            if frame % 30 == 29 {
                var report: [RTCPPacket] = [.senderReport(RTCPSenderReport(
                    ssrc: 5_555, ntpTimestamp: NTPTime.timestamp(bench.now), rtpTimestamp: timestamp, packetCount: 0, octetCount: 0))]
                if answersReferenceTime, let answer = held {
                    let delay = UInt32((bench.now - answer.arrival).nanoseconds * 65_536 / 1_000_000_000)
                    report.append(.extendedReport(RTCPExtendedReport(senderSSRC: 5_555, blocks: [
                        .delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: [
                            RTCPDelaySinceLastReceiverReportItem(ssrc: 0, lastReceiverReport: answer.lastReceiverReport,
                                                                 delaySinceLastReceiverReport: delay)])),
                    ])))
                    held = nil
                }
                bench.send(RTCPPacket.serializeCompound(report), from: publisher, to: send.local)
            }
            timestamp &+= 3_000
            bench.run(until: bench.now + .nanoseconds(33_333_333))
        }
        return Outcome(requests: requests, roundTrips: try bench.engine.publisherRoundTrips(of: producer),
                       measurements: bench.engine.counters.publisherRoundTripsMeasured)
    }

    @Test func reRequestsAreSpacedByTheMeasuredRoundTrip() throws {
        let outcome = try run(answersReferenceTime: true)
        #expect(outcome.measurements >= 3)
        let rtt = try #require(outcome.roundTrips.first ?? nil)
        #expect(abs(rtt.milliseconds - 300) < 1, "measured \(rtt)")
        // The first request and every retry up to `maxRetries` (10), each one RTT (plus at most
        // one 40 ms timer period) after the one before.
        #expect(outcome.requests.count == NackSettings().maxRetries)
        for (earlier, later) in zip(outcome.requests, outcome.requests.dropFirst()) {
            let gap = later - earlier
            #expect(gap >= rtt && gap <= rtt + .milliseconds(40), "re-request after \(gap)")
        }
    }

    @Test func withoutAnswersReRequestsComeEveryDefaultRoundTrip() throws {
        let outcome = try run(answersReferenceTime: false)
        #expect(outcome.measurements == 0)
        #expect(outcome.roundTrips == [nil])
        #expect(outcome.requests.count == NackSettings().maxRetries)
        for (earlier, later) in zip(outcome.requests, outcome.requests.dropFirst()) {
            let gap = later - earlier
            #expect(gap >= .milliseconds(100) && gap < .milliseconds(150), "re-request after \(gap)")
        }
    }
}
