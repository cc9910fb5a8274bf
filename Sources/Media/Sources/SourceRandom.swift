/// The seeded generator the media sources draw from (SplitMix64).
///
/// Media does not depend on Engine (see DESIGN.md), so it cannot use `Engine.SeededGenerator`;
/// this small generator keeps sources deterministic from their seed on every platform.
struct SourceRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed ^ 0x5EED_0F_5F_0_1AB }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<bound.
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Exponentially distributed with the given mean.
    mutating func nextExponential(mean: Double) -> Double {
        var u = nextUnit()
        while u <= .leastNormalMagnitude { u = nextUnit() }
        return -mean * log(u)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
