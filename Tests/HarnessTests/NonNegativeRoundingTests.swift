import Engine
import Testing
@testable import Harness

@Suite struct NonNegativeRoundingTests {
    @Test("roundedToInt64(nonNegative:) is Int64(x.rounded()) for halves, their neighbours and random values")
    func sameAsRounded() {
        var values: [Double] = [0, 0.5, 1.5, 2.5, 0.5.nextDown, 0.5.nextUp, 1.5.nextDown, 4_503_599_627_370_495.5,
                                4_503_599_627_370_496, 9_007_199_254_740_992, 1e18, .leastNonzeroMagnitude]
        var random = SeededGenerator(seed: 12)
        for _ in 0..<100_000 {
            values.append(random.nextUnit() * 1e9)
            values.append((random.nextUnit() * 1e6).rounded(.down) + 0.5)
        }
        for x in values {
            #expect(roundedToInt64(nonNegative: x) == Int64(x.rounded()), "x = \(x)")
        }
    }
}
