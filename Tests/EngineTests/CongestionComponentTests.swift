import Engine
import RTP
import Testing

/// The congestion-control state machines on their own, driven by hand-made inputs.
@Suite struct CongestionComponentTests {
    @Test func feedbackReportsArrivalsAndLossesAndContinuesWhereItStopped() throws {
        var generator = TransportFeedbackGenerator(interval: .milliseconds(100))
        for (sequence, ms) in [(65_534, 10), (65_535, 12), (1, 15), (2, 20)] as [(UInt16, Int64)] {
            generator.received(sequence: sequence, now: .milliseconds(ms))
        }
        #expect(generator.nextDeadline() == .milliseconds(110))
        #expect(generator.takeFeedback(senderSSRC: 1, mediaSSRC: 2, now: .milliseconds(109)).isEmpty)
        let messages = generator.takeFeedback(senderSSRC: 1, mediaSSRC: 2, now: .milliseconds(110))
        let parsed = try RTCPPacket.parseCompound(RTCPPacket.serializeCompound(messages.map { .transportFeedback($0) }))
        guard case .transportFeedback(let feedback) = try #require(parsed.first) else { Issue.record("not feedback"); return }
        #expect(feedback.packets.map(\.sequenceNumber) == [65_534, 65_535, 0, 1, 2])
        #expect(feedback.packets.map(\.isReceived) == [true, true, false, true, true])
        let times = feedback.arrivalTimesMicroseconds.compactMap(\.arrivalMicroseconds)
        #expect(zip(times, times.dropFirst()).map { $1 - $0 } == [2_000, 3_000, 5_000])
        // The next message starts after the last reported one, a lost packet in between included.
        generator.received(sequence: 4, now: .milliseconds(130))
        let next = generator.takeFeedback(senderSSRC: 1, mediaSSRC: 2, now: .milliseconds(230))
        #expect(next.first?.packets.map(\.sequenceNumber) == [3, 4])
        #expect(next.first?.feedbackPacketCount == feedback.feedbackPacketCount &+ 1)
    }

    /// Groups every 10 ms whose arrival spacing is `arrivalSpacing`; returns the detector states.
    func detect(arrivalSpacing: Duration, groups: Int = 60) -> [BandwidthUsage] {
        var interArrival = InterArrival()
        var trendline = TrendlineEstimator()
        var detector = OveruseDetector()
        var states: [BandwidthUsage] = []
        for index in 0..<groups {
            let sent = Instant.milliseconds(Int64(index) * 10)
            let arrived = Instant.milliseconds(50) + arrivalSpacing * index
            guard let deltas = interArrival.add(sentAt: sent, arrivedAt: arrived, bytes: 1_200) else { continue }
            let trend = trendline.update(deltas: deltas, arrivedAt: arrived)
            states.append(detector.detect(trend: trend, sendDelta: deltas.send, deltaCount: trendline.deltaCount, now: arrived))
        }
        return states
    }

    @Test func growingDelayIsOveruseAndSteadyDelayIsNot() {
        #expect(detect(arrivalSpacing: .milliseconds(10)).allSatisfy { $0 == .normal })
        #expect(detect(arrivalSpacing: .milliseconds(12)).suffix(10).contains(.overusing))
        #expect(detect(arrivalSpacing: .milliseconds(8)).suffix(10).contains(.underusing))
    }

    @Test func aimdIncreasesWhileNormalAndCutsToBetaTimesThroughputOnOveruse() {
        var control = AimdRateControl(initial: 1_000_000, min: 30_000, max: 10_000_000)
        control.update(.normal, throughput: 1_000_000, now: .zero)
        let grown = control.update(.normal, throughput: 1_000_000, now: .seconds(1))
        #expect(grown >= 1_070_000 && grown <= 1_090_000)
        // Capped at 1.5 x throughput + 10 kb/s when the sender is application-limited.
        for second in 2...20 { control.update(.normal, throughput: 400_000, now: .seconds(Double(second))) }
        #expect(control.bitrate <= 1_090_000)
        let cut = control.update(.overusing, throughput: 800_000, now: .seconds(21))
        #expect(cut == 680_000)
        #expect(control.update(.underusing, throughput: 800_000, now: .seconds(22)) == cut)
    }

    @Test func lossAboveTenPercentCutsByHalfTheLoss() {
        var loss = LossBasedController(initial: 1_000_000)
        loss.update(received: 80, lost: 20, delayBased: 1_000_000, rtt: .milliseconds(100), now: .seconds(1))
        #expect(loss.bitrate == 900_000)
        loss.update(received: 99, lost: 1, delayBased: 2_000_000, rtt: .milliseconds(100), now: .seconds(2))
        #expect(loss.bitrate > 900_000 && loss.bitrate <= 2_000_000)
    }

    @Test func thePacerSpreadsABurstAtItsRate() {
        var pacer = LeakyBucketPacer(rate: 1_000_000)
        var sentAt: [Instant] = []
        var now = Instant.zero
        while sentAt.count < 20 {
            if pacer.canSend(now: now) {
                pacer.sent(bytes: 1_250, now: now)
                sentAt.append(now)
            } else {
                now = pacer.nextSendTime() ?? now
            }
        }
        // 20 x 1250 bytes = 200 kbit at 1 Mb/s: about 200 ms, less what the burst allowance (1500 bytes) lets out at once.
        #expect(sentAt[1] == .zero)
        #expect(sentAt.last! >= .milliseconds(170) && sentAt.last! <= .milliseconds(200))
    }

    @Test func thePacersOverdueCheckIsTheDurationComparison() {
        // Whole, fractional (rounded up) and zero longest delays, changed after creation too.
        let attosecond = Duration(secondsComponent: 0, attosecondsComponent: 1)
        let delays: [Duration] = [.seconds(2), .nanoseconds(1_500), .nanoseconds(1_500) + attosecond, .zero,
                                  .milliseconds(250) - attosecond]
        var pacer = LeakyBucketPacer(rate: 1_000_000, maxQueueDelay: delays[0])
        for delay in delays {
            pacer.maxQueueDelay = delay
            let enqueuedAt = Instant.milliseconds(1_000)
            let whole = delay.nanoseconds
            for waited in [whole - 1, whole, whole + 1, whole + 2] {
                let now = Instant(nanoseconds: enqueuedAt.nanoseconds + waited)
                #expect(pacer.hasWaitedTooLong(since: enqueuedAt, now: now) == (now - enqueuedAt >= delay),
                        "delay \(delay), waited \(waited) ns")
            }
        }
        #expect(!pacer.hasWaitedTooLong(since: .milliseconds(1_000), now: Instant(nanoseconds: 1_250_000_000 - 1)))
        #expect(pacer.hasWaitedTooLong(since: .milliseconds(1_000), now: .milliseconds(1_250)))
    }

    @Test func theSendHistoryIsARingKeyedBySequence() {
        var history = SendHistory(capacity: 4)
        for sequence in UInt16(65_534)...UInt16(65_535) { history.record(sequence: sequence, sentAt: .zero, bytes: 100) }
        for sequence in UInt16(0)...UInt16(3) { history.record(sequence: sequence, sentAt: .milliseconds(1), bytes: 200) }
        #expect(history.entry(sequence: 65_534) == nil)  // overwritten
        #expect(history.entry(sequence: 3)?.bytes == 200)
        #expect(history.entry(sequence: 7) == nil)
    }
}
