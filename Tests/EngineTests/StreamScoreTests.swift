@testable import Engine
import Testing

/// mediasoup's stream score: round(10 × delivered⁴) per interval, a weighted average of the last
/// 24 samples (newest heaviest), reset to 0 when a stream stops and to 10 when it returns.
@Suite struct StreamScoreTests {
    @Test func samplesFollowTheFourthPowerOfWhatArrived() {
        #expect(StreamScore.sample(deliveredRatio: 1) == 10)
        #expect(StreamScore.sample(deliveredRatio: 0.95) == 8)  // 8.15
        #expect(StreamScore.sample(deliveredRatio: 0.9) == 7)  // 6.56
        #expect(StreamScore.sample(deliveredRatio: 0.5) == 1)  // 0.625
        #expect(StreamScore.sample(deliveredRatio: 0) == 0)
        #expect(StreamScore.sample(deliveredRatio: 1.5) == 10)
    }

    @Test func theScoreIsAWeightedAverageThatFavoursRecentIntervals() {
        var score = StreamScore()
        #expect(score.record(10) == false)
        // Weights 1 and 2: (10 + 2 × 4) / 3 = 6.
        #expect(score.record(4) == true)
        #expect(score.value == 6)
        // Weights 1, 2, 3: (10 + 8 + 3 × 10) / 6 = 8.
        score.record(10)
        #expect(score.value == 8)
        // Only the last 24 samples count: after 24 perfect intervals the bad one is forgotten.
        for _ in 0..<24 { score.record(10) }
        #expect(score.value == 10)
    }

    @Test func resettingForgetsTheHistory() {
        var score = StreamScore()
        score.record(2)
        #expect(score.reset(to: 0) == true)
        #expect(score.value == 0)
        score.reset(to: 10)
        score.record(10)
        #expect(score.value == 10)
    }
}
