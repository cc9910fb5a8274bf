import Engine

/// Packet loss: none, independent (Bernoulli), or bursty (Gilbert-Elliott, two-state Markov chain).
///
/// The Gilbert-Elliott chain here has a Good state that never loses and a Bad state that always
/// loses (the "simple Gilbert" model). From a loss rate `p` and a mean burst length `L` packets:
/// - bursts end with probability `r = P(Bad→Good) = 1/L` per packet, so burst lengths are
///   geometric with mean `1/r = L`;
/// - the stationary probability of Bad is `q/(q+r)` where `q = P(Good→Bad)`; setting it to `p`
///   gives `q = r·p/(1−p) = p/(L·(1−p))`.
/// `q ≤ 1` requires `p ≤ L/(L+1)`; larger loss rates are clamped (and `init` reports it).
/// See docs/network-emulation.md.
public struct LossModel: Sendable, Hashable {
    /// The model's form.
    public enum Kind: Sendable, Hashable {
        case none
        case bernoulli(probability: Double)
        case gilbertElliott(goodToBad: Double, badToGood: Double)
    }

    /// The configured form.
    public let kind: Kind
    /// Whether the chain is in the Bad (losing) state.
    public private(set) var inBadState = false

    /// Builds the model from a loss fraction (0...1) and a mean burst length in packets
    /// (nil or ≤ 1: Bernoulli).
    public init(lossRate: Double, meanBurstLength: Double?) {
        let p = min(max(lossRate.isFinite ? lossRate : 0, 0), 1)
        if p == 0 {
            kind = .none
        } else if let burst = meanBurstLength, burst > 1, p < 1 {
            let r = 1 / burst
            kind = .gilbertElliott(goodToBad: min(1, r * p / (1 - p)), badToGood: r)
        } else {
            kind = .bernoulli(probability: p)
        }
    }

    /// The long-run loss fraction this model produces.
    public var stationaryLossRate: Double {
        switch kind {
        case .none: 0
        case .bernoulli(let p): p
        case .gilbertElliott(let q, let r): q / (q + r)
        }
    }

    /// Decides the fate of the next packet: true means lost. Inlined: once per packet on a link.
    @inline(__always)
    public mutating func nextIsLost(using generator: inout SeededGenerator) -> Bool {
        switch kind {
        case .none:
            return false
        case .bernoulli(let p):
            return generator.nextUnit() < p
        case .gilbertElliott(let goodToBad, let badToGood):
            let u = generator.nextUnit()
            if inBadState {
                if u < badToGood { inBadState = false }
            } else {
                if u < goodToBad { inBadState = true }
            }
            return inBadState
        }
    }
}
