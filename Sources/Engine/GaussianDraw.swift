/// One standard normal draw by Box-Muller, as its two uniform inputs (`SeededGenerator.nextGaussianDraw`).
public struct GaussianDraw: Sendable, Hashable {
    /// Uniform in (0, 1) (at least the smallest normal double, so its logarithm is finite).
    public var u1: Double
    /// Uniform in [0, 1).
    public var u2: Double

    /// A draw from its two uniforms (`SeededGenerator.nextGaussianDraw()` takes them from its stream).
    @inlinable
    public init(u1: Double, u2: Double) {
        self.u1 = u1
        self.u2 = u2
    }

    /// The normal value: `sqrt(-2 ln u1) * cos(2 pi u2)`, bit for bit what `nextGaussian()` returns.
    public var value: Double {
        (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    /// A number that `value` never exceeds, computed without the logarithm and cosine (a few
    /// arithmetic operations): 0 when the cosine is certainly negative (`u2` in [0.26, 0.74], where
    /// the angle is at least 0.06 rad away from where it changes sign), otherwise a bound on the
    /// radius from `-ln u <= 1/u - 1`, widened by 0.1 % and 0.001 to cover rounding in both
    /// computations (near `u1 = 1`, where rounding dominates, the radius is below 2e-5 anyway).
    @inlinable
    public var upperBound: Double {
        if u2 >= 0.26 && u2 <= 0.74 { return 0 }
        return (2 * (1 / u1 - 1)).squareRoot() * 1.001 + 0.001
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
