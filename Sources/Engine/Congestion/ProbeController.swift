/// Decides when to probe and at what rate (libwebrtc `ProbeController`): at start two clusters
/// at 3x and 6x the initial rate; while results keep reaching 70 % of what was probed, again at
/// twice the result (exponential probing); when the media wants more than the estimate; and
/// every `interval` while application-limited. Probes never exceed `maxBitrate` nor twice the
/// rate the media would use (probing beyond what could be spent only loads the path).
///
/// After a large drop (the estimate fell below 66 % of what it was, libwebrtc
/// `kBitrateDropThreshold`) the delay-based path recovering from overuse asks for one probe at
/// 85 % of the rate before the drop (libwebrtc `RequestProbe`, `kProbeFractionAfterDrop`), within
/// 5 s of the drop and at most once per 5 s, while the media wants more than the estimate: a drop
/// caused by a short burst (a key frame after a layer switch) then does not hold the estimate
/// down until the next periodic probe.
public struct ProbeController: Sendable {
    /// The estimate fell below this share of its previous value: a large drop.
    static let largeDropThreshold = 0.66
    /// Share of the rate before a large drop a probe after it is sent at.
    static let probeFractionAfterDrop = 0.85
    /// A probe after a drop is sent within this time of the drop, and at most once per it.
    static let dropProbeWindow: Duration = .seconds(5)
    public var enabled: Bool
    /// Time between application-limited probes.
    public var interval: Duration
    public var maxBitrate: Bitrate
    /// Rate the media would use if allowed (sum of the consumers' preferred layers).
    public var desiredBitrate: Bitrate?

    private var pending: [ProbeCluster] = []
    private var nextID = 1
    private var started = false
    private var lastProbeAt: Instant?
    /// Rate of the last exponential probe whose result is awaited.
    private var awaitedTarget: Bitrate?
    /// When the last large drop happened and the estimate before it.
    private var lastLargeDrop: (at: Instant, before: Bitrate)?
    private var lastDropProbeAt: Instant?

    public init(enabled: Bool, interval: Duration, maxBitrate: Bitrate) {
        self.enabled = enabled
        self.interval = interval
        self.maxBitrate = maxBitrate
    }

    /// Probes stay under `maxBitrate` and, once the media's rate is known, under twice it.
    private var ceiling: Bitrate {
        guard let desiredBitrate, desiredBitrate > .zero else { return maxBitrate }
        return min(maxBitrate, desiredBitrate * 2)
    }

    /// Starts probing from `estimate` (once, when the transport starts sending).
    public mutating func start(estimate: Bitrate, now: Instant) {
        guard enabled, !started else { return }
        started = true
        enqueue(estimate * 3, now: now)
        enqueue(estimate * 6, now: now)
    }

    /// A probe measured `result`: probe further while the path keeps up.
    public mutating func probeResult(_ result: Bitrate, now: Instant) {
        guard enabled, let awaited = awaitedTarget else { return }
        awaitedTarget = nil
        if result > awaited * 0.7 { enqueue(result * 2, now: now) }
    }

    /// The estimate changed from `previous` to `estimate`; a fall below 66 % of `previous` is
    /// remembered as a large drop.
    public mutating func estimateChanged(from previous: Bitrate, to estimate: Bitrate, now: Instant) {
        if Double(estimate.bitsPerSecond) < Self.largeDropThreshold * Double(previous.bitsPerSecond) {
            lastLargeDrop = (now, previous)
        }
    }

    /// The delay-based path recovered from overuse: probe at 85 % of the rate before a recent
    /// large drop, if the media wants more than `estimate` and such a probe could raise it.
    public mutating func recoveredFromOveruse(estimate: Bitrate, applicationLimited: Bool, now: Instant) {
        guard enabled, started, pending.isEmpty, let drop = lastLargeDrop, now - drop.at < Self.dropProbeWindow else { return }
        guard lastDropProbeAt.map({ now - $0 >= Self.dropProbeWindow }) ?? true else { return }
        guard let desired = desiredBitrate, desired > estimate * 1.1 || applicationLimited else { return }
        let bitrate = drop.before * Self.probeFractionAfterDrop
        // libwebrtc `kProbeUncertainty`: only a probe whose result could exceed the estimate.
        guard bitrate * 0.95 > estimate else { return }
        lastDropProbeAt = now
        let awaited = awaitedTarget
        enqueue(bitrate, now: now)
        // Not an exponential probe: its result starts no further probing.
        awaitedTarget = awaited
    }

    /// Periodic work: probe while application-limited, or when the media wants more than the
    /// estimate allows.
    public mutating func process(estimate: Bitrate, applicationLimited: Bool, now: Instant) {
        guard enabled, started, pending.isEmpty else { return }
        guard lastProbeAt.map({ now - $0 >= interval }) ?? true else { return }
        if let desired = desiredBitrate, desired > estimate * 1.1 || applicationLimited {
            enqueue(min(desired, estimate * 2), now: now)
        }
    }

    /// The next cluster to send, if one is due.
    public mutating func takeCluster() -> ProbeCluster? {
        guard !pending.isEmpty else { return nil }
        return pending.removeFirst()
    }

    private mutating func enqueue(_ target: Bitrate, now: Instant) {
        let bitrate = min(target, ceiling)
        guard bitrate > 0 else { return }
        if let last = pending.last, bitrate <= last.bitrate { return }
        pending.append(ProbeCluster(id: nextID, bitrate: bitrate))
        nextID += 1
        awaitedTarget = bitrate
        lastProbeAt = now
    }
}
