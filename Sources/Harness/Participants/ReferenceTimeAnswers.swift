import Engine
import RTP

/// A publisher's answers to RTCP XR Receiver Reference Time blocks (RFC 3611 §4.4) from the
/// engine, as libwebrtc gives them: `RTCPReceiver` keeps the newest RRTR of each XR sender (its
/// compact NTP time and when it arrived), and each RTP stream's next RTCP report carries a DLRR
/// block (§4.5) answering it, after which the entry is consumed
/// (`ConsumeReceivedXrReferenceTimeInfo`). The engine computes the publisher's RTT from it.
struct ReferenceTimeAnswers {
    private struct Received {
        var ssrc: UInt32
        var lastReceiverReport: UInt32
        var arrival: Instant
    }

    private var received: [Received] = []

    /// Records the RRTR blocks of an XR packet that arrived at `now`.
    mutating func receive(_ report: RTCPExtendedReport, now: Instant) {
        guard let rrtr = report.receiverReferenceTimes.last else { return }
        let entry = Received(ssrc: report.senderSSRC, lastReceiverReport: rrtr.compactNTPTimestamp, arrival: now)
        if let index = received.firstIndex(where: { $0.ssrc == report.senderSSRC }) {
            received[index] = entry
        } else {
            received.append(entry)
        }
    }

    /// One XR packet with a DLRR block per stream in `ssrcs` (sent from that stream's SSRC, as
    /// each of libwebrtc's per-stream RTCP senders does), answering every RRTR held at `now`;
    /// nothing when none is held. The held RRTRs are consumed.
    mutating func take(streams ssrcs: [UInt32], now: Instant) -> [RTCPPacket] {
        guard !received.isEmpty, !ssrcs.isEmpty else { return [] }
        let items = received.map { entry in
            RTCPDelaySinceLastReceiverReportItem(
                ssrc: entry.ssrc, lastReceiverReport: entry.lastReceiverReport,
                delaySinceLastReceiverReport: UInt32(clamping: (now - entry.arrival).nanoseconds * 65_536 / 1_000_000_000))
        }
        received.removeAll(keepingCapacity: true)
        return ssrcs.map { ssrc in
            .extendedReport(RTCPExtendedReport(senderSSRC: ssrc, blocks: [.delaySinceLastReceiverReport(RTCPDelaySinceLastReceiverReport(items: items))]))
        }
    }
}
