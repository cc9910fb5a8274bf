extension Engine {
    /// The scores of a producer's streams, lowest encoding first: 0 for a stream that is not
    /// arriving (never seen, or nothing for 1.5 s), else 0...10 from the loss in its receiver
    /// reports (mediasoup `producer.score`). See docs/nack-rtx.md, "Stream scores".
    public func streamScores(of id: ProducerID) throws(ControlError) -> [Int] {
        try producer(id).streams.map(\.score.value)
    }

    /// Which of a producer's streams are arriving, lowest encoding first. Consumers only select
    /// and ask key frames of arriving streams.
    public func arrivingEncodings(of id: ProducerID) throws(ControlError) -> [Bool] {
        try producer(id).streams.map(\.isReceiving)
    }

    /// The round-trip time to the publisher of each of a producer's streams, lowest encoding
    /// first, from the publisher's XR DLRR answers to the engine's RRTR blocks (RFC 3611 §4.5);
    /// nil for a stream not measured yet. NACK re-requests of a stream are spaced by it.
    public func publisherRoundTrips(of id: ProducerID) throws(ControlError) -> [Duration?] {
        try producer(id).streams.map(\.roundTrip)
    }

    /// A consumer's score, the score of the producer stream it forwards, and every stream's.
    public func score(of id: ConsumerID) throws(ControlError) -> ConsumerScore {
        let consumer = try consumer(id)
        let streams = consumer.producer.streams
        let producerScore: Int
        if consumer.producer.isSimulcast {
            producerScore = consumer.currentSpatial.map { streams[min($0, streams.count - 1)].score.value } ?? 0
        } else {
            producerScore = streams[0].score.value
        }
        return ConsumerScore(score: consumer.score.value, producerScore: producerScore, producerScores: streams.map(\.score.value))
    }
}
