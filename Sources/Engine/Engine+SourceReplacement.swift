extension Engine {
    /// A producer's publisher switched to a new source with new SSRCs (a re-created encoder, a
    /// device switch that restarts the RTP stream): the producer keeps its id and its consumers,
    /// the new SSRCs are bound to its streams in order, the receive side starts afresh, and every
    /// consumer starts a new run at the next key frame, so subscribers keep seeing one continuous
    /// stream (sequence numbers and timestamps carry on; docs/sequence-rewriting.md).
    public func replaceProducerSource(_ id: ProducerID, encodings: [ProducerEncoding], now: Instant) throws(ControlError) {
        let producer = try producer(id)
        guard encodings.count == producer.streams.count else {
            throw .invalidParameters("\(id) has \(producer.streams.count) encodings; the new source gives \(encodings.count)")
        }
        let transport = try transport(producer.transport)
        for encoding in encodings {
            guard let ssrc = encoding.ssrc else { throw .invalidParameters("a replacement encoding needs its ssrc") }
            if let owner = transport.incoming[ssrc], owner.producer !== producer {
                throw .invalidParameters("ssrc \(ssrc) is already in use on \(producer.transport)")
            }
        }
        for (stream, encoding) in zip(producer.streams, encodings) {
            if let old = stream.ssrc { transport.incoming[old] = nil }
            if let old = stream.rtxSSRC { transport.incoming[old] = nil }
            stream.ssrc = encoding.ssrc
            stream.rtxSSRC = encoding.rtxSSRC
            if let ssrc = encoding.ssrc { transport.incoming[ssrc] = .init(producer: producer, streamIndex: stream.index, isRTX: false) }
            if let rtx = encoding.rtxSSRC { transport.incoming[rtx] = .init(producer: producer, streamIndex: stream.index, isRTX: true) }
            stream.restartReception(settings: profile.feedback)
        }
        for consumer in producer.consumers { consumer.restart() }
        streamTimersChanged = true
        requestKeyFrames(for: producer, now: now)
    }
}
