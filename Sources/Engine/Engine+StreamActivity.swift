extension Engine {
    /// An original packet of `stream` arrived. The first one (or the first after the stream
    /// went inactive) makes it selectable: its score restarts at 10 and the consumers of a
    /// layered producer are reallocated at once, so they can take it at this very packet if it
    /// is a key frame (a stream that resumed after a pause waits
    /// `Producer.Stream.minimumReceivingTime` before it is taken above a lower one). See
    /// docs/bitrate-allocation.md, "Inactive layers".
    func noteStreamReceiving(_ stream: Producer.Stream, producer: Producer, now: Instant) {
        guard stream.markReceiving(now: now) else { return }
        emit(.producerStreamActivity(producer.id, encoding: stream.index, receiving: true))
        emit(.producerScore(producer.id, encoding: stream.index, score: stream.score.value))
        if let due = stream.inactiveAt, nextActivityCheckAt.map({ due < $0 }) ?? true { nextActivityCheckAt = due }
        if producer.isLayered { reallocateConsumers(of: producer, now: now) }
    }

    /// Marks streams with no packet for `Producer.Stream.inactivityInterval` (or an upper
    /// simulcast stream silent for `pausedLayerInterval` while the one below goes on) inactive: their
    /// score drops to 0, their pending key-frame requests are dropped, and the consumers of a
    /// layered producer move to the best layer still arriving. Schedules the next check.
    func checkStreamActivity(now: Instant) {
        guard let due = nextActivityCheckAt, due <= now else { return }
        var next: Instant?
        for producer in producerList {
            var changed = false
            for stream in producer.streams {
                let lower = producer.isSimulcast && stream.index > 0 ? producer.streams[stream.index - 1] : nil
                let lowerLast = lower.flatMap { $0.isReceiving ? $0.lastOriginalPacketAt : nil }
                if stream.checkInactivity(now: now, lowerLastPacketAt: lowerLast) {
                    changed = true
                    counters.streamsWentInactive += 1
                    emit(.producerStreamActivity(producer.id, encoding: stream.index, receiving: false))
                    emit(.producerScore(producer.id, encoding: stream.index, score: stream.score.value))
                }
                // The quick check while the stream below arrives (later than now: a past time would
                // spin), else the plain inactivity interval.
                let quick = lower?.isReceiving == true ? stream.pausedAt.flatMap { $0 > now ? $0 : nil } : nil
                if let at = quick ?? stream.inactiveAt, next.map({ at < $0 }) ?? true { next = at }
            }
            if changed && producer.isLayered { reallocateConsumers(of: producer, now: now) }
        }
        nextActivityCheckAt = next
    }

    /// Runs the allocator on every transport that has a consumer of `producer`.
    private func reallocateConsumers(of producer: Producer, now: Instant) {
        var seen = Set<Int>()
        for consumer in producer.consumers where seen.insert(consumer.transport.rawValue).inserted {
            allocate(transport: transports[consumer.transport.rawValue], now: now)
        }
    }

    /// Updates each producer stream's score from the fraction lost it reports in a receiver
    /// report (`fractionLost` per 256, after RTX repair), emitting the changes.
    func updateScore(of stream: Producer.Stream, producer: Producer, fractionLost: UInt8) {
        guard stream.isReceiving else { return }
        let sample = StreamScore.sample(deliveredRatio: 1 - Double(fractionLost) / 256)
        if stream.score.record(sample) {
            emit(.producerScore(producer.id, encoding: stream.index, score: stream.score.value))
        }
    }
}
