import Engine
import Testing

/// `GaussianDraw` splits `nextGaussian()` into its uniform draws and the transform; links rely on
/// both halves: the same values as before, and an upper bound that is never below the value.
@Suite struct GaussianDrawTests {
    @Test("nextGaussianDraw().value is nextGaussian(), and the stream advances the same")
    func sameSequence() {
        var plain = SeededGenerator(seed: 7)
        var split = SeededGenerator(seed: 7)
        for _ in 0..<10_000 {
            #expect(plain.nextGaussian().bitPattern == split.nextGaussianDraw().value.bitPattern)
        }
        #expect(plain.next() == split.next())
    }

    @Test("upperBound is never below value, and is 0 where the cosine is negative")
    func boundHolds() {
        var random = SeededGenerator(seed: 11)
        var belowZero = 0
        for _ in 0..<200_000 {
            let draw = random.nextGaussianDraw()
            #expect(draw.value <= draw.upperBound)
            if draw.upperBound == 0 { belowZero += 1 }
        }
        // u2 in [0.26, 0.74]: about 48 % of draws.
        #expect(belowZero > 90_000 && belowZero < 102_000)
        // Near the ends of the ranges, where rounding matters most.
        for u1 in [Double.leastNormalMagnitude, 1e-300, 0.5, 1 - 0x1p-53, 1 - 0x1p-40, 1 - 1e-10] {
            for u2 in [0, 0x1p-53, 0.25, 0.2599, 0.26, 0.74, 0.7401, 0.75, 1 - 0x1p-53] {
                let draw = GaussianDraw(u1: u1, u2: u2)
                #expect(draw.value <= draw.upperBound, "u1 \(u1) u2 \(u2)")
            }
        }
    }
}
