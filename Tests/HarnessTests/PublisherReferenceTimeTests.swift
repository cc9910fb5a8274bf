import Engine
@testable import Harness
import RTP
import Testing

/// Simulated publishers answer the engine's RTCP XR RRTR blocks with DLRR in their next sender
/// reports (RFC 3611 §4.5, as libwebrtc does), so the engine measures each producer stream's
/// round trip to its publisher.
@Suite struct PublisherReferenceTimeTests {
    @Test func answersAreConsumedAndSayHowLongTheRRTRWasHeld() {
        var answers = ReferenceTimeAnswers()
        #expect(answers.take(streams: [7], now: .seconds(1)).isEmpty)
        let ntp = NTPTime.timestamp(.milliseconds(900))
        answers.receive(RTCPExtendedReport(senderSSRC: 99, blocks: [.receiverReferenceTime(RTCPReceiverReferenceTime(ntpTimestamp: ntp))]),
                        now: .milliseconds(1_000))
        let packets = answers.take(streams: [7, 8], now: .milliseconds(1_250))
        #expect(packets.count == 2)
        let item = RTCPDelaySinceLastReceiverReportItem(ssrc: 99, lastReceiverReport: NTPTime.middle(ntp),
                                                        delaySinceLastReceiverReport: 65_536 / 4)
        for (packet, ssrc) in zip(packets, [UInt32(7), 8]) {
            guard case .extendedReport(let report) = packet else { Issue.record("not XR"); continue }
            #expect(report.senderSSRC == ssrc)
            #expect(report.delaySinceLastReceiverReportItems == [item])
        }
        // Answered once: the next report carries no DLRR until another RRTR arrives.
        #expect(answers.take(streams: [7], now: .seconds(2)).isEmpty)
    }

    @Test func engineMeasuresTheRoundTripOfEveryPublishedStream() throws {
        let profile = Profile()
        var random = SeededGenerator(seed: 5)
        let engine = Engine(profile: profile, seed: random.next())
        let world = TrialWorld(engine: engine)
        var uplink = LinkProfile()
        uplink.delay = 110
        var downlink = LinkProfile()
        downlink.delay = 40
        let participant = SimulatedParticipant(index: 0, role: ParticipantRole(sendsAudio: true, video: .camera, device: .desktop),
                                               random: random.split(), measurements: MeasurementCollector(),
                                               nackSettings: profile.feedback.nack, congestion: profile.feedback.congestion,
                                               stopAt: .seconds(6))
        world.add(participant, uplink: try LinkEmulator(profile: uplink, generator: random.split()),
                  downlink: try LinkEmulator(profile: downlink, generator: random.split()))
        let send = engine.createTransport(remote: participant.sendEndpoint)
        participant.engineSendEndpoint = send.local
        let vp8 = try #require(engine.capabilities.codec(mimeType: "video/VP8"))
        let opus = try #require(engine.capabilities.codec(mimeType: "audio/opus"))
        let encodings = TrialRunner.encodings(for: participant.role, profile: profile, random: &random)
        participant.configureVideo(encodings: encodings, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType)
        participant.configureAudio(ssrc: 4_242, payloadType: opus.payloadType)
        let video = try engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: vp8.mimeType, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType,
            encodings: encodings.map { ProducerEncoding(ssrc: $0.ssrc, rtxSSRC: $0.rtxSSRC, maxBitrate: $0.bitrate) }))
        let audio = try engine.produce(on: send.id, ProducerOptions(kind: .audio, mimeType: opus.mimeType, payloadType: opus.payloadType,
                                                                    encodings: [ProducerEncoding(ssrc: 4_242)]))
        world.wakeAll()
        world.run(until: .seconds(6))

        let roundTrips = try engine.publisherRoundTrips(of: video) + engine.publisherRoundTrips(of: audio)
        let sending = participant.video.filter { $0.bytesSent > 0 }.count + 1
        #expect(roundTrips.compactMap { $0 }.count >= sending, "\(roundTrips)")
        for rtt in roundTrips.compactMap({ $0 }) {
            #expect(abs(rtt.milliseconds - 150) < 3, "engine measured \(rtt) over a 150 ms round trip")
        }
        #expect(engine.counters.publisherRoundTripsMeasured >= 4 * sending)
    }
}
