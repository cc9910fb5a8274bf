import Engine
import Media
import RTP

/// What a simulated participant publishes from a workload file: one `RecordedEncodingSender` per
/// encoding of each of its streams. `SimulatedParticipant` asks it for due packets, forwards it
/// the RTCP feedback addressed to its SSRCs, and adds its sender reports.
///
/// A malformed record found mid-trial stops this publisher and is kept in `failure`; the trial
/// runner turns it into an error naming the file and byte offset.
final class RecordedPublisher {
    private(set) var encodings: [RecordedEncodingSender]
    private let stopAt: Instant
    /// The first error reading the workload, if any.
    private(set) var failure: WorkloadError?

    init(encodings: [RecordedEncodingSender], stopAt: Instant) {
        self.encodings = encodings
        self.stopAt = stopAt
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

    /// Handles RTCP feedback for one of this publisher's SSRCs: RTX for a NACK, a key frame for
    /// PLI/FIR. Returns the packets to send, or nil when the feedback is not for this publisher.
    func answer(_ packet: RTCPPacket) -> [[UInt8]]? {
        switch packet {
        case .nack(let nack):
            guard let index = encodings.firstIndex(where: { $0.ssrc == nack.mediaSSRC }) else { return nil }
            return encodings[index].retransmit(nack.lostSequenceNumbers)
        case .pli(let pli):
            guard let index = encodings.firstIndex(where: { $0.ssrc == pli.mediaSSRC }) else { return nil }
            encodings[index].requestKeyFrame()
            return []
        case .fir(let fir):
            var matched = false
            for entry in fir.entries {
                guard let index = encodings.firstIndex(where: { $0.ssrc == entry.ssrc }) else { continue }
                encodings[index].requestKeyFrame()
                matched = true
            }
            return matched ? [] : nil
        default:
            return nil
        }
    }

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

    /// A device switch: the encodings at `indices` become new RTP streams with the SSRCs of
    /// `replacements` (same order) and one new RTP timestamp offset, as the engine was told with
    /// `replaceProducerSource`.
    func replaceSource(_ indices: [Int], with replacements: [ProducerEncoding], timestampOffset: UInt32, random: inout SeededGenerator) {
        for (index, replacement) in zip(indices, replacements) {
            guard let ssrc = replacement.ssrc else { continue }
            encodings[index].replaceSource(ssrc: ssrc, rtxSSRC: replacement.rtxSSRC, timestampOffset: timestampOffset, random: &random)
        }
    }

    /// Key frames pulled forward to answer requests, over all encodings.
    var keyFrameSkips: Int { encodings.reduce(0) { $0 + $1.keyFrameSkips } }
}
