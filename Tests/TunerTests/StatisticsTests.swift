import Engine
import Testing
@testable import Tuner

@Suite("Statistics")
struct StatisticsTests {
    @Test func exactSignFlipPValues() {
        #expect(Statistics.signFlipPValue([1, 2, 3], seed: 1) == 0.25)            // 2 of 8 patterns as extreme
        #expect(Statistics.signFlipPValue([0, 0, 0, 0], seed: 1) == 1)
        #expect(Statistics.signFlipPValue(Array(repeating: 1, count: 10), seed: 1) == 2.0 / 1024)
        #expect(Statistics.signFlipPValue([1, -1, 2, -2], seed: 1) == 1)
    }

    @Test func signFlipFalsePositiveRateIsNearAlpha() {
        var generator = SeededGenerator(seed: 99)
        var rejections = 0
        let runs = 400
        for run in 0..<runs {
            let diffs = (0..<12).map { _ in generator.nextGaussian() }
            if Statistics.signFlipPValue(diffs, seed: UInt64(run)) < 0.05 { rejections += 1 }
        }
        #expect(rejections <= 32)   // 5% of 400 = 20; allow sampling error
        #expect(rejections >= 8)
    }

    @Test func monteCarloBranchAgreesWithExact() {
        var generator = SeededGenerator(seed: 5)
        let diffs = (0..<16).map { _ in generator.nextGaussian() + 0.4 }
        let exact = Statistics.signFlipPValue(diffs, seed: 1, exactLimit: 16)
        let sampled = Statistics.signFlipPValue(diffs, seed: 1, exactLimit: 0, samples: 20_000)
        #expect(abs(exact - sampled) < 0.01)
    }

    @Test func holmAdjustment() {
        let adjusted = Statistics.holmAdjusted([0.01, 0.04, 0.03])
        #expect(adjusted[0] == 0.03)
        #expect(abs(adjusted[2] - 0.06) < 1e-12)
        #expect(abs(adjusted[1] - 0.06) < 1e-12)   // monotone: max(0.04 × 1, 0.06)
        #expect(Statistics.holmAdjusted([0.9, 0.8]) == [1, 1])   // 0.8 × 2 caps at 1; monotone
    }

    @Test func bootstrapIntervalIsSeededAndCoversTheMean() {
        let xs: [Double] = [10, 12, 9, 11, 13, 10, 12]
        let a = Statistics.bootstrapMeanInterval(xs, seed: 3)
        let b = Statistics.bootstrapMeanInterval(xs, seed: 3)
        #expect(a.low == b.low && a.high == b.high)
        let mean = Statistics.mean(xs)
        #expect(a.low < mean && mean < a.high)
        #expect(a.low >= 9 && a.high <= 13)
    }

    @Test func paretoFrontKeepsNonDominatedPoints() {
        let front = Statistics.paretoFront([[1, 5], [2, 2], [3, 3], [5, 1], [1, 5]])
        #expect(front == [0, 1, 3, 4])
    }

    @Test func constraintParsing() throws {
        let c = try #require(Constraint(parsing: "freezesPerMinute <= 1.5"))
        #expect(c.metric == "freezesPerMinute" && c.comparison == .lessOrEqual && c.threshold == 1.5)
        #expect(c.isSatisfied(by: 1.5) && !c.isSatisfied(by: 1.6))
        #expect(Constraint(parsing: "x <> 2") == nil)
        #expect(Constraint(parsing: "< 2") == nil)
    }

    @Test func durations() {
        #expect(ExperimentLoader.parseDuration("30s") == .seconds(30))
        #expect(ExperimentLoader.parseDuration("2m") == .seconds(120))
        #expect(ExperimentLoader.parseDuration("500ms") == .milliseconds(500))
        #expect(ExperimentLoader.parseDuration("soon") == nil)
        #expect(ExperimentLoader.parseDuration("-3s") == nil)
    }
}
