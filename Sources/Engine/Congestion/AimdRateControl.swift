import Foundation

/// The delay-based rate controller (draft-ietf-rmcat-gcc-02 §5.5, libwebrtc `AimdRateControl`):
/// increase while the detector says normal — multiplicatively (8 %/s) far from the last known
/// link capacity, additively (about one packet per response time) near it — hold while a queue
/// drains, and on overuse cut to `beta` times the acknowledged throughput. Increases are capped
/// at 1.5 x the acknowledged throughput so an application-limited sender does not inflate the
/// estimate beyond what it has shown the path can carry.
public struct AimdRateControl: Sendable {
    /// Multiplicative decrease factor. Default 0.85.
    public var beta = 0.85
    /// Multiplicative increase per second. Default 1.08.
    public var increasePerSecond = 1.08
    public var minBitrate: Bitrate
    public var maxBitrate: Bitrate
    /// Round-trip time used for the response time of the additive increase.
    public var rtt: Duration = .milliseconds(200)

    private enum State { case hold, increase, decrease }
    private var state = State.hold
    /// The current estimate.
    public private(set) var bitrate: Bitrate
    private var lastChange: Instant?
    private var lastDecrease: Instant?
    /// Estimate of the link capacity (mean and variance of throughput at overuse), kbps.
    private var linkCapacityKbps: Double?
    private var linkCapacityVariance = 0.4

    public init(initial: Bitrate, min minBitrate: Bitrate, max maxBitrate: Bitrate) {
        self.minBitrate = minBitrate
        self.maxBitrate = maxBitrate
        bitrate = Swift.min(Swift.max(initial, minBitrate), maxBitrate)
    }

    /// Sets the estimate directly (a probe result or a bound change).
    public mutating func set(_ value: Bitrate, now: Instant) {
        bitrate = Swift.min(Swift.max(value, minBitrate), maxBitrate)
        lastChange = now
    }

    /// Updates with the detector's state and the acknowledged throughput; returns the estimate.
    @discardableResult
    public mutating func update(_ usage: BandwidthUsage, throughput: Bitrate?, now: Instant) -> Bitrate {
        switch usage {
        case .normal: if state == .hold { state = .increase }
        case .overusing: state = .decrease
        case .underusing: state = .hold
        }
        var next = bitrate
        switch state {
        case .hold:
            break
        case .increase:
            if let throughput, let capacity = linkCapacityKbps,
               throughput.kbps > capacity + 3 * (capacity * linkCapacityVariance).squareRoot() {
                linkCapacityKbps = nil  // the path got faster: search multiplicatively again
            }
            let elapsed = lastChange.map { Swift.min((now - $0).secondsDouble, 1) } ?? 0
            if linkCapacityKbps != nil {
                next = next + Bitrate(bitsPerSecond: Int64(additiveIncreasePerSecond() * elapsed))
            } else {
                let factor = pow(increasePerSecond, elapsed)
                next = next + Bitrate(bitsPerSecond: Swift.max(Int64(Double(next.bitsPerSecond) * (factor - 1)), elapsed > 0 ? 1_000 : 0))
            }
            if let throughput {
                let cap = throughput * 1.5 + 10_000
                if next > cap { next = Swift.max(cap, bitrate) }
            }
            lastChange = now
        case .decrease:
            // One cut per response time unless throughput collapsed.
            let minGap = Swift.min(Swift.max(rtt, .milliseconds(10)), .milliseconds(200))
            if let last = lastDecrease, now - last < minGap, let throughput, throughput > bitrate * 0.5 {
                break
            }
            let measured = throughput ?? bitrate
            var decreased = measured * beta
            if decreased > bitrate, let capacity = linkCapacityKbps {
                decreased = Bitrate.kbps(capacity) * beta
            }
            if decreased < bitrate { next = decreased }
            updateLinkCapacity(measured)
            lastDecrease = now
            lastChange = now
            state = .hold
        }
        bitrate = Swift.min(Swift.max(next, minBitrate), maxBitrate)
        return bitrate
    }

    private mutating func updateLinkCapacity(_ throughput: Bitrate) {
        let sample = throughput.kbps
        guard let capacity = linkCapacityKbps else {
            linkCapacityKbps = sample
            return
        }
        let alpha = 0.05
        let mean = (1 - alpha) * capacity + alpha * sample
        let normalized = Swift.max(mean, 1)
        let variance = (1 - alpha) * linkCapacityVariance + alpha * (mean - sample) * (mean - sample) / normalized
        linkCapacityKbps = mean
        linkCapacityVariance = Swift.min(Swift.max(variance, 0.4), 2.5)
    }

    /// bits/s per second near convergence: one average packet per response time (rtt + 100 ms),
    /// at least 4 kbps/s.
    private func additiveIncreasePerSecond() -> Double {
        let bitsPerFrame = Double(bitrate.bitsPerSecond) / 30
        let packetsPerFrame = (bitsPerFrame / (1_200 * 8)).rounded(.up)
        let packetBits = bitsPerFrame / Swift.max(packetsPerFrame, 1)
        let responseTime = (rtt + .milliseconds(100)).secondsDouble
        return Swift.max(4_000, packetBits / responseTime)
    }
}
