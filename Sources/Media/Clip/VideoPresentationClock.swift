/// Presentation times of a clip's video frames from their RTP timestamps (90 kHz), anchored to
/// the capture time of the first frame.
///
/// Capture times of a session recorded from a live engine are the server's receive times: two
/// frames that arrived in one burst can carry the same millisecond, which a WebM muxer must not
/// write (block timecodes have to increase). The sender's RTP timestamps keep the frames' own
/// spacing. The clock re-anchors on the capture time when the two disagree by more than a
/// second, or would go backwards: a device switch starts a new timestamp space.
struct VideoPresentationClock {
    private var anchor: (rtp: UInt32, micros: Int64)?
    private var last = Int64.min

    /// Largest disagreement between RTP and capture time kept before re-anchoring.
    static let maxDrift: Int64 = 1_000_000

    mutating func time(of frame: ClipFrame) -> Int64 {
        if let anchor {
            let elapsed = Int64(frame.rtpTimestamp &- anchor.rtp) * 1_000_000 / 90_000
            let time = anchor.micros + elapsed
            if time > last, abs(time - frame.timeMicros) <= Self.maxDrift {
                last = time
                return time
            }
        }
        let time = last == .min ? frame.timeMicros : max(frame.timeMicros, last + 1_000)
        anchor = (frame.rtpTimestamp, time)
        last = time
        return time
    }
}
