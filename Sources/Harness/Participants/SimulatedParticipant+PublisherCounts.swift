extension SimulatedParticipant {
    /// Whether `ssrc` is one of the media streams this participant publishes.
    func publishes(ssrc: UInt32) -> Bool {
        audio?.ssrc == ssrc || video.contains { $0.ssrc == ssrc } || recorded?.sends(ssrc: ssrc) == true
    }

    /// NACK answers the publisher sent and held back (a packet at most once per RTT).
    var publisherRetransmissions: SentPacketHistory.Counts {
        var counts = recorded?.retransmissions ?? SentPacketHistory.Counts()
        for sender in video {
            counts.sent += sender.retransmissions.sent
            counts.suppressed += sender.retransmissions.suppressed
        }
        return counts
    }

    /// Key-frame requests the engine sent for encodings this publisher had paused.
    var pausedRequests: PausedEncodingRequests {
        video.reduce(recorded?.pausedRequests ?? PausedEncodingRequests()) { $0 + $1.pausedRequests }
    }
}
