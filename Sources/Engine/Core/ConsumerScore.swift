/// A consumer's scores as mediasoup reports them (`consumer.score`): each 0...10.
public struct ConsumerScore: Sendable, Hashable, Codable {
    /// What the subscriber receives, from the loss in its receiver reports.
    public var score: Int
    /// The producer stream the consumer forwards now (0 when it forwards none).
    public var producerScore: Int
    /// Every stream of the producer, lowest encoding first (0 for one that is not arriving).
    public var producerScores: [Int]

    public init(score: Int, producerScore: Int, producerScores: [Int]) {
        self.score = score
        self.producerScore = producerScore
        self.producerScores = producerScores
    }
}
