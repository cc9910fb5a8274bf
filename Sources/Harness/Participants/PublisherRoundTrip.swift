import Engine
import RTP

/// A publisher's round-trip time to the engine, measured from the engine's receiver reports about
/// its streams (LSR and DLSR against the publisher's own sender reports, RFC 3550 §6.4.1), as
/// libwebrtc's RTCP receiver feeds its packet history. Until a report arrives, `defaultRTT`.
struct PublisherRoundTrip {
    /// Assumed before the first measurement: 100 ms, the engine's `feedback.nack.defaultRtt`
    /// default (mediasoup's `NackGenerator` default). libwebrtc starts from 0 (no limit), which
    /// would leave the first second of a trial unprotected against NACK storms.
    static let defaultRTT = Duration.milliseconds(100)

    private(set) var measured: Duration?

    /// The RTT to hold retransmissions of one packet apart.
    var current: Duration { measured ?? Self.defaultRTT }

    /// Takes the newest RTT from report blocks about the publisher's streams (`isOwn`).
    mutating func update(from blocks: [RTCPReportBlock], isOwn: (UInt32) -> Bool, now: Instant) {
        for block in blocks where isOwn(block.ssrc) {
            if let rtt = NTPTime.roundTrip(now: now, lastSenderReport: block.lastSenderReport,
                                           delaySinceLastSenderReport: block.delaySinceLastSenderReport), rtt > .zero {
                measured = rtt
            }
        }
    }
}
