@testable import Harness
import Engine
import RTP
import Testing

/// Publishers answer a NACK for a packet at most once per round trip (libwebrtc
/// `RtpPacketHistory::VerifyRtt`): a storm of requests for one packet within one RTT yields one
/// retransmission; after the RTT has passed the next request is answered again.
@Suite struct NackStormTests {
    static func packet(sequence: UInt16) throws -> [UInt8] {
        try RTPPacketBuilder(marker: true, payloadType: 101, sequenceNumber: SequenceNumber(sequence), timestamp: 1, ssrc: 7)
            .build(payload: [1, 2, 3, 4])
    }

    @Test func aStormWithinOneRoundTripYieldsOneRetransmission() throws {
        var history = SentPacketHistory()
        history.store(try Self.packet(sequence: 500), sequence: 500)
        history.store(try Self.packet(sequence: 501), sequence: 501)
        var rtxSequence: UInt16 = 0
        var counts = SentPacketHistory.Counts()
        let rtt = Duration.milliseconds(120)
        var sent = 0
        // Ten NACKs for packet 500, 10 ms apart (all within one RTT of the first answer).
        for step in 0..<10 {
            sent += history.rtxPackets(for: [500], ssrc: 8, payloadType: 102, rtxSequence: &rtxSequence,
                                       now: .milliseconds(Int64(step) * 10), rtt: rtt, counts: &counts).count
        }
        #expect(sent == 1)
        #expect(counts == SentPacketHistory.Counts(sent: 1, suppressed: 9))
        #expect(rtxSequence == 1)
        // Another packet is not held back by the first one's answer.
        #expect(history.rtxPackets(for: [501], ssrc: 8, payloadType: 102, rtxSequence: &rtxSequence,
                                   now: .milliseconds(95), rtt: rtt, counts: &counts).count == 1)
        // One RTT after the retransmission, a request is answered again (the copy was lost).
        #expect(history.rtxPackets(for: [500], ssrc: 8, payloadType: 102, rtxSequence: &rtxSequence,
                                   now: .milliseconds(120), rtt: rtt, counts: &counts).count == 1)
        #expect(counts.sent == 3)
    }

    @Test func roundTripComesFromTheEnginesReportsAboutOwnStreams() {
        var roundTrip = PublisherRoundTrip()
        #expect(roundTrip.current == PublisherRoundTrip.defaultRTT)
        let sentAt = Instant.milliseconds(1_000)
        // The engine held the sender report 50 ms (DLSR in 1/65536 s) before reporting.
        let block = RTCPReportBlock(ssrc: 7, fractionLost: 0, cumulativeLost: 0, extendedHighestSequenceNumber: 0, jitter: 0,
                                    lastSenderReport: NTPTime.middle(NTPTime.timestamp(sentAt)),
                                    delaySinceLastSenderReport: 65_536 / 20)
        roundTrip.update(from: [block], isOwn: { $0 == 9 }, now: sentAt + .milliseconds(250))
        #expect(roundTrip.measured == nil)
        roundTrip.update(from: [block], isOwn: { $0 == 7 }, now: sentAt + .milliseconds(250))
        let measured = try? #require(roundTrip.measured)
        #expect(measured.map { abs(($0 - .milliseconds(200)).nanoseconds) < 1_000_000 } == true)
    }
}
