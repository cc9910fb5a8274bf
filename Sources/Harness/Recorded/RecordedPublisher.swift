import Engine
import Media
import RTP

/// What a simulated participant publishes from a workload file: one `RecordedEncodingSender` per
/// encoding of each of its streams. `SimulatedParticipant` asks it for due packets, forwards it
/// the RTCP feedback addressed to its SSRCs, and adds its sender reports.
///
/// A malformed record found mid-trial stops this publisher and is kept in `failure`; the trial
/// runner turns it into an error naming the file and byte offset.
///
/// With `adapts` (a workload driving a trial, not a verbatim replay) the publisher behaves like a
/// browser on a narrow uplink: `SimulatedParticipant`'s send-side estimate (transport-cc feedback
/// from the engine, capped by REMB) sets a video target and `adaptEncodings` pauses the simulcast
/// encodings it cannot carry and resumes them when it can (`SimulcastEncodingSwitch`).
final class RecordedPublisher {
    private(set) var encodings: [RecordedEncodingSender]
    private let stopAt: Instant
    /// Pause and resume simulcast encodings for the uplink estimate.
    let adapts: Bool
    /// Indices of the video encodings in allocation order: every stream's lowest encoding, then
    /// the upper ones stream by stream, lowest first.
    private let allocationOrder: [Int]
    /// The first error reading the workload, if any.
    private(set) var failure: WorkloadError?

    init(encodings: [RecordedEncodingSender], stopAt: Instant, adapts: Bool) {
        self.encodings = encodings
        self.stopAt = stopAt
        self.adapts = adapts
        let video = encodings.indices.filter { encodings[$0].isVideo }
        allocationOrder = video.filter { encodings[$0].layer == 0 } + video.filter { encodings[$0].layer > 0 }
    }

    /// Publishes video and adapts it to the uplink estimate.
    var adaptsVideo: Bool { adapts && !allocationOrder.isEmpty }

    var hasAudio: Bool { encodings.contains { !$0.isVideo } }

    /// What each video encoding is counted at (the manifest's `maxBitrate`).
    var videoRates: [Bitrate] { adaptsVideo ? allocationOrder.map { encodings[$0].rate } : [] }

    /// The encoding whose RTX stream probe padding goes out on: the first video encoding with one.
    private var probeEncoding: Int? {
        guard adaptsVideo else { return nil }
        return allocationOrder.first { encodings[$0].rtxSSRC != nil && encodings[$0].rtxPayloadType != nil }
    }

    /// Whether probe padding has an RTX stream to go out on.
    var hasProbeRTX: Bool { probeEncoding != nil }

    /// The RTX stream for the next probe packet and its sequence number, taken from the counter
    /// the encoding's retransmissions use (`RecordedEncodingSender.takeRTXSequence`).
    func takeProbeRTX() -> SimulatedParticipant.ProbeRTX? {
        guard let index = probeEncoding, let ssrc = encodings[index].rtxSSRC, let type = encodings[index].rtxPayloadType else { return nil }
        return SimulatedParticipant.ProbeRTX(ssrc: ssrc, payloadType: type, sequence: encodings[index].takeRTXSequence())
    }

    /// Pauses the video encodings `target` cannot carry and resumes those it can
    /// (`SimulcastEncodingSwitch`; each stream's lowest encoding always sends).
    func adaptEncodings(target: Bitrate, now: Instant) {
        guard adaptsVideo else { return }
        let enabled = SimulcastEncodingSwitch.enabled(
            rates: allocationOrder.map { encodings[$0].rate }, current: allocationOrder.map { encodings[$0].enabled },
            alwaysOn: allocationOrder.map { encodings[$0].layer == 0 }, target: target)
        for (position, index) in allocationOrder.enumerated() { encodings[index].setEnabled(enabled[position], now: now) }
    }

    /// Reads every encoding's first packet.
    func start() throws(WorkloadError) {
        for index in encodings.indices { try encodings[index].start() }
    }

    func nextDeadline() -> Instant? {
        guard failure == nil else { return nil }
        return encodings.compactMap(\.nextSendTime).min()
    }

    /// Every packet due at `now`, encoding by encoding.
    func packets(due now: Instant) -> [[UInt8]] {
        guard failure == nil else { return [] }
        var packets: [[UInt8]] = []
        do {
            for index in encodings.indices {
                guard let due = encodings[index].nextSendTime, due <= now else { continue }
                packets += try encodings[index].packets(due: now, stopAt: stopAt)
            }
        } catch {
            failure = error
        }
        return packets
    }

    /// Handles RTCP feedback for one of this publisher's SSRCs at `now`: RTX for a NACK (a packet
    /// at most once per `rtt`), a key frame for PLI/FIR. Returns the packets to send, or nil when
    /// the feedback is not for this publisher.
    func answer(_ packet: RTCPPacket, now: Instant, rtt: Duration) -> [[UInt8]]? {
        switch packet {
        case .nack(let nack):
            guard let index = encodings.firstIndex(where: { $0.ssrc == nack.mediaSSRC }) else { return nil }
            return encodings[index].retransmit(nack.lostSequenceNumbers, now: now, rtt: rtt)
        case .pli(let pli):
            guard let index = encodings.firstIndex(where: { $0.ssrc == pli.mediaSSRC }) else { return nil }
            encodings[index].keyFrameRequestReceived(now: now)
            return []
        case .fir(let fir):
            var matched = false
            for entry in fir.entries {
                guard let index = encodings.firstIndex(where: { $0.ssrc == entry.ssrc }) else { continue }
                encodings[index].keyFrameRequestReceived(now: now)
                matched = true
            }
            return matched ? [] : nil
        default:
            return nil
        }
    }

    /// NACK answers sent and held back (once per RTT), over every encoding.
    var retransmissions: SentPacketHistory.Counts {
        encodings.reduce(into: SentPacketHistory.Counts()) {
            $0.sent += $1.retransmissions.sent
            $0.suppressed += $1.retransmissions.suppressed
        }
    }

    /// Key-frame requests received for encodings while they were paused.
    var pausedRequests: PausedEncodingRequests { encodings.reduce(PausedEncodingRequests()) { $0 + $1.pausedRequests } }

    /// Whether `ssrc` is one this publisher sends.
    func sends(ssrc: UInt32) -> Bool { encodings.contains { $0.ssrc == ssrc } }

    /// Sender reports for the encodings that have sent something.
    func senderReports(ntp: UInt64) -> [RTCPPacket] {
        encodings.filter { $0.packetsSent > 0 }.map { sender in
            .senderReport(RTCPSenderReport(ssrc: sender.ssrc, ntpTimestamp: ntp, rtpTimestamp: sender.lastTimestamp,
                                           packetCount: UInt32(truncatingIfNeeded: sender.packetsSent),
                                           octetCount: UInt32(truncatingIfNeeded: sender.bytesSent)))
        }
    }

    /// Indices into `encodings` of the encodings that play `tracks` (a stream's tracks, in
    /// encoding order): a participant's streams never share a track.
    func encodingIndices(playing tracks: [String]) -> [Int] {
        tracks.compactMap { track in encodings.firstIndex { $0.trackID == track } }
    }

    /// The encodings at `indices` stop sending until `replaceSource` (or `false` again): their
    /// old device is gone and the engine has not yet bound the new one's SSRCs.
    func awaitSourceReplacement(_ indices: [Int], _ waiting: Bool) {
        for index in indices { encodings[index].awaitingSourceReplacement = waiting }
    }

    /// A device switch: the encodings at `indices` become new RTP streams with the SSRCs of
    /// `replacements` (same order) and one new RTP timestamp offset, as the engine was told with
    /// `replaceProducerSource`.
    func replaceSource(_ indices: [Int], with replacements: [ProducerEncoding], timestampOffset: UInt32, random: inout SeededGenerator) {
        for (index, replacement) in zip(indices, replacements) {
            guard let ssrc = replacement.ssrc else { continue }
            encodings[index].replaceSource(ssrc: ssrc, rtxSSRC: replacement.rtxSSRC, timestampOffset: timestampOffset, random: &random)
            encodings[index].awaitingSourceReplacement = false
        }
    }

    /// Key frames pulled forward to answer requests, over all encodings.
    var keyFrameSkips: Int { encodings.reduce(0) { $0 + $1.keyFrameSkips } }
}
