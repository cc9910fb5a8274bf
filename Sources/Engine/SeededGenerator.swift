/// A small, fast, seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random draw in the engine and the harness comes from one of these, handed in by the
/// caller, so that a simulated run is reproducible bit for bit from its seed.
/// Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2021).
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    // Internal for inlining: the harness draws several numbers per simulated packet, and a call
    // across the module boundary costs as much as the draw.
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next()
        s1 = next()
        s2 = next()
        s3 = next()
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform draw in [0, 1).
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box-Muller; one of the pair is discarded to stay stateless).
    public mutating func nextGaussian() -> Double {
        nextGaussianDraw().value
    }

    /// The uniform draws behind the next `nextGaussian()`, taken from the stream now, with the
    /// normal value computed only when asked (`GaussianDraw.value`). A caller that needs only a
    /// bound on the value (`upperBound`) saves the logarithm and cosine; the stream advances the
    /// same either way.
    @inlinable
    public mutating func nextGaussianDraw() -> GaussianDraw {
        var u1 = nextUnit()
        while u1 <= .leastNormalMagnitude { u1 = nextUnit() }
        return GaussianDraw(u1: u1, u2: nextUnit())
    }

    /// A child generator for an independent stream (for example one per link), derived from this one.
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }
}
