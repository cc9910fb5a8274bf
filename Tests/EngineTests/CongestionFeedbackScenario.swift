import Engine
import RTP
import Testing

/// Transport-wide congestion control through the engine: sequence numbers and abs-send-time on
/// egress, transport-cc feedback to publishers on ingress, REMB, and the estimate moving with
/// what the subscriber's feedback says.
@Suite struct CongestionFeedbackScenario {
    let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
    let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)

    /// A bench with one single-stream video producer and one consumer of it.
    func makeBench(_ profile: Profile = Profile()) throws
        -> (EngineBench, send: Endpoint, receive: (id: TransportID, local: Endpoint), ssrc: UInt32, rtxSSRC: UInt32?) {
        let bench = EngineBench(profile: profile)
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, encodings: [ProducerEncoding(ssrc: 1_111)]))
        let (_, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))
        return (bench, send.local, receive, parameters.ssrc, parameters.rtxSSRC)
    }

    /// VP8 packets with abs-send-time and transport-cc slots, the publisher's sequence from `first`.
    func packets(frames: Int, firstTransportSequence first: UInt16) -> [[UInt8]] {
        var stream = SyntheticVP8Stream(ssrc: 1_111)
        var sequence = first
        var out: [[UInt8]] = []
        for frame in 0..<frames {
            for packet in stream.nextFrame(timestamp: UInt32(frame) * 3_000) {
                let header = try! RTPHeader(parsing: packet)
                let builder = RTPPacketBuilder(
                    marker: header.marker, payloadType: header.payloadType, sequenceNumber: header.sequenceNumber,
                    timestamp: header.timestamp, ssrc: header.ssrc,
                    extensions: [RTPHeaderExtension(id: 4, value: [0, 0, 0]),
                                 RTPHeaderExtension(id: 5, value: TransportWideSequenceNumberExtension.encode(sequence))])
                out.append(try! builder.build(payload: Array(packet[header.payloadRange])))
                sequence &+= 1
            }
        }
        return out
    }

    @Test func egressGetsConsecutiveTransportSequenceNumbersAndTheSendTime() throws {
        let (bench, send, _, ssrc, rtxSSRC) = try makeBench()
        for (index, packet) in packets(frames: 10, firstTransportSequence: 900).enumerated() {
            bench.send(packet, from: publisher, to: send)
            bench.run(until: .milliseconds(Int64(index + 1) * 5))
        }
        bench.run(until: .milliseconds(200))
        let received = (bench.inbox[subscriber] ?? []).filter { !RTPDemux.isRTCP($0) }
        var sequences: [UInt16] = []
        var sendTimes: [UInt64] = []
        var media = 0
        for bytes in received {
            try bytes.withUnsafeBytes { raw in
                let view = try RTPPacketView(parsing: raw)
                // Media, and the probe padding that rides on the RTX stream: all numbered.
                if view.header.ssrc == ssrc {
                    media += 1
                } else {
                    // Probe clusters: padding-only packets on the consumer's RTX stream.
                    #expect(view.header.ssrc == rtxSSRC)
                    #expect(view.header.payloadLength == 0 && view.header.paddingLength > 0)
                }
                sequences.append(TransportWideSequenceNumberExtension.decode(try #require(view.extensionValue(id: 5)))!)
                sendTimes.append(AbsSendTime(extensionValue: try #require(view.extensionValue(id: 4)))!.microseconds)
            }
        }
        #expect(media == 20)
        #expect(sequences == Array(1...UInt16(received.count)))
        // Stamped when forwarded: the first packet reached the engine after the 20 ms bench delay.
        #expect(sendTimes.first.map { $0 >= 19_990 && $0 <= 20_000 } == true)
        #expect(zip(sendTimes, sendTimes.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func publishersGetTransportFeedbackAndTheMaxIncomingBitrateREMB() throws {
        var profile = Profile()
        profile.webRtcTransport.maxIncomingBitrate = 800_000
        let (bench, send, _, _, _) = try makeBench(profile)
        for (index, packet) in packets(frames: 30, firstTransportSequence: 65_530).enumerated() {
            bench.send(packet, from: publisher, to: send)
            bench.run(until: .milliseconds(Int64(index + 1) * 10))
        }
        bench.run(until: .seconds(2))
        let rtcp = (bench.inbox[publisher] ?? []).filter { RTPDemux.isRTCP($0) }.flatMap { (try? RTCPPacket.parseCompound($0)) ?? [] }
        let reported = rtcp.flatMap { packet -> [RTCPTransportFeedbackPacket] in
            if case .transportFeedback(let feedback) = packet { return feedback.packets }
            return []
        }
        #expect(reported.count == 60)
        #expect(reported.allSatisfy { $0.isReceived })
        #expect(reported.first?.sequenceNumber == 65_530)
        let rembs = rtcp.compactMap { packet -> RTCPREMB? in
            if case .remb(let remb) = packet { return remb }
            return nil
        }
        let remb = try #require(rembs.first)
        #expect(remb.bitrateBitsPerSecond == RTCPREMB.quantized(bitrateBitsPerSecond: 800_000))
        #expect(remb.ssrcs == [1_111])
    }

    /// The subscriber answers with transport-cc feedback; `queueGrowth` is how much later than
    /// the previous one each packet is reported to arrive (a queue building up).
    func runWithFeedback(queueGrowth: Duration, profile: Profile = Profile()) throws -> (before: Bitrate, after: Bitrate) {
        let (bench, send, receive, _, _) = try makeBench(profile)
        var generator = TransportFeedbackGenerator()
        var extra = Duration.zero
        bench.onReceive = { endpoint, bytes, now in
            guard endpoint == subscriber, !RTPDemux.isRTCP(bytes) else { return [] }
            let sequence = bytes.withUnsafeBytes { raw -> UInt16? in
                guard let view = try? RTPPacketView(parsing: raw), let value = view.extensionValue(id: 5) else { return nil }
                return TransportWideSequenceNumberExtension.decode(value)
            }
            guard let sequence else { return [] }
            extra += queueGrowth
            generator.received(sequence: sequence, now: now + extra)
            let messages = generator.takeFeedback(senderSSRC: 9, mediaSSRC: 0, now: now + extra)
            return messages.map { (receive.local, RTCPPacket.serializeCompound([.transportFeedback($0)])) }
        }
        let before = try bench.engine.availableOutgoingBitrate(receive.id)
        for (index, packet) in packets(frames: 90, firstTransportSequence: 1).enumerated() {
            bench.send(packet, from: publisher, to: send)
            bench.run(until: .milliseconds(Int64(index + 1) * 17))
        }
        bench.run(until: .seconds(4))
        return (before, try bench.engine.availableOutgoingBitrate(receive.id))
    }

    @Test func aGrowingQueueInTheFeedbackLowersTheEstimate() throws {
        let steady = try runWithFeedback(queueGrowth: .zero)
        let queuing = try runWithFeedback(queueGrowth: .milliseconds(3))
        #expect(queuing.after < queuing.before)
        #expect(steady.after >= steady.before * 0.9)
        #expect(queuing.after < steady.after)
    }

    @Test func withCongestionControlOffTheEstimateStaysAtTheInitialBitrate() throws {
        var profile = Profile()
        profile.feedback.congestion.enabled = false
        let queuing = try runWithFeedback(queueGrowth: .milliseconds(3), profile: profile)
        #expect(queuing.after == queuing.before)
    }

    @Test func aSubscribersREMBSetsTheEstimateWithoutTransportFeedback() throws {
        let (bench, _, receive, _, _) = try makeBench()
        bench.send(RTCPPacket.serializeCompound([.remb(RTCPREMB(senderSSRC: 9, bitrateBitsPerSecond: 250_000, ssrcs: [1]))]),
                   from: subscriber, to: receive.local)
        bench.run(until: .milliseconds(100))
        let estimate = try bench.engine.availableOutgoingBitrate(receive.id)
        #expect(estimate == RTCPREMB.quantized(bitrateBitsPerSecond: 250_000).bitrate)
    }

    /// A burst (a key frame's 40 packets at once) leaves paced at `pacingFactor` x the estimate;
    /// with pacing off it leaves at once.
    @Test(arguments: [2.5, 0])
    func theEngineSpreadsABurstAtThePacingRate(_ factor: Double) throws {
        var profile = Profile()
        profile.feedback.congestion.pacingFactor = factor
        let (bench, send, _, ssrc, _) = try makeBench(profile)
        var arrivals: [Instant] = []
        bench.onReceive = { endpoint, bytes, now in
            if endpoint == subscriber, let header = try? RTPHeader(parsing: bytes), header.ssrc == ssrc { arrivals.append(now) }
            return []
        }
        var stream = SyntheticVP8Stream(ssrc: 1_111)
        stream.packetsPerFrame = 40
        stream.payloadBytes = 1_000
        for packet in stream.nextFrame(timestamp: 0) { bench.send(packet, from: publisher, to: send) }
        bench.run(until: .seconds(1))
        #expect(arrivals.count == 40)
        let spread = arrivals.last! - arrivals.first!
        if factor > 0 {
            // 40 x ~1 kB at 2.5 x 600 kb/s = 1.5 Mb/s: about 210 ms, less the 10 ms burst allowance.
            #expect(spread >= .milliseconds(180) && spread <= .milliseconds(230), "spread \(spread)")
        } else {
            #expect(spread == .zero)
        }
    }
}

private extension UInt64 {
    var bitrate: Bitrate { Bitrate(bitsPerSecond: Int64(self)) }
}
