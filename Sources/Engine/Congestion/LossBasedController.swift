import Foundation

/// The loss-based controller (draft-ietf-rmcat-gcc-02 §6, libwebrtc's classic
/// `SendSideBandwidthEstimation`): with loss above `highLoss` the rate is cut by half the loss
/// fraction (at most once per `decreaseInterval` plus a round trip), with loss below `lowLoss` it
/// may grow 8 % a second, in between it holds. The transport's target is the minimum of this and
/// the delay-based estimate, so the controller only bites when loss, not queuing, signals
/// congestion (a shallow buffer, a policer, a lossy radio link).
public struct LossBasedController: Sendable {
    /// Loss fraction below which the rate may grow. Default 0.02.
    public var lowLoss = 0.02
    /// Loss fraction above which the rate is cut. Default 0.1.
    public var highLoss = 0.1
    /// Minimum time between cuts, before the round trip is added. Default 300 ms.
    public var decreaseInterval: Duration = .milliseconds(300)
    /// Feedback is evaluated once this many packets were reported (or a second passed). Default 20.
    public var minPacketsPerUpdate = 20

    /// The loss-based limit.
    public private(set) var bitrate: Bitrate
    /// The last measured loss fraction.
    public private(set) var lossFraction = 0.0
    private var reported = 0
    private var lost = 0
    private var lastUpdate: Instant?
    private var lastDecrease: Instant?

    public init(initial: Bitrate) {
        bitrate = initial
    }

    /// Adds one feedback message's counts; returns the limit. `delayBased` caps growth (the
    /// controller never leads the delay-based estimate upwards).
    @discardableResult
    public mutating func update(received: Int, lost newLost: Int, delayBased: Bitrate, rtt: Duration, now: Instant) -> Bitrate {
        reported += received + newLost
        lost += newLost
        let last = lastUpdate ?? now
        if lastUpdate == nil { lastUpdate = now }
        guard reported >= minPacketsPerUpdate || now - last >= .seconds(1) else { return bitrate }
        lossFraction = reported > 0 ? Double(lost) / Double(reported) : 0
        let elapsed = min((now - last).secondsDouble, 1)
        reported = 0
        lost = 0
        lastUpdate = now
        if lossFraction <= lowLoss {
            let grown = bitrate * pow(1.08, elapsed) + Bitrate(bitsPerSecond: 1_000)
            bitrate = max(bitrate, min(grown, delayBased))
            if bitrate < delayBased && bitrate * 1.5 < delayBased && elapsed > 0 {
                // Far below the delay-based estimate with no loss: catch up at once.
                bitrate = max(bitrate, delayBased * 0.5)
            }
        } else if lossFraction > highLoss {
            if lastDecrease.map({ now - $0 >= decreaseInterval + rtt }) ?? true {
                bitrate = bitrate * (1 - 0.5 * lossFraction)
                lastDecrease = now
            }
        }
        return bitrate
    }

    /// Keeps the limit within bounds after they change.
    public mutating func clamp(min lower: Bitrate, max upper: Bitrate) {
        bitrate = Swift.min(Swift.max(bitrate, lower), upper)
    }
}
