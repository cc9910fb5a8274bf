import Harness

/// Where the tuner looks up network preset names. Swap `current` (or pass a catalog to the
/// loader) to use `NetworkScenario.preset(named:)` once the emulator branch provides it.
public struct NetworkPresetCatalog: Sendable {
    /// Returns the scenario for a name, or nil.
    public var lookup: @Sendable (String) -> NetworkScenario?
    /// Names offered in did-you-mean suggestions.
    public var names: [String]

    public init(names: [String], lookup: @escaping @Sendable (String) -> NetworkScenario?) {
        self.names = names
        self.lookup = lookup
    }

    /// The presets DESIGN.md names, with placeholder link figures until the emulator's presets land.
    public static let standard: NetworkPresetCatalog = {
        func link(delay: Double, jitter: Double, loss: Double, kbps: Double?, burst: Double? = nil) -> LinkProfile {
            var l = LinkProfile()
            l.delay = delay
            l.jitter = jitter
            l.loss = loss
            l.lossBurst = burst
            l.bandwidth = kbps
            return l
        }
        let table: [String: (LinkProfile, LinkProfile)] = [
            "desktop-broadband": (link(delay: 10, jitter: 1, loss: 0, kbps: 20_000), link(delay: 10, jitter: 1, loss: 0, kbps: 50_000)),
            "wifi-lossy": (link(delay: 15, jitter: 5, loss: 0.02, kbps: 10_000, burst: 2), link(delay: 15, jitter: 5, loss: 0.02, kbps: 20_000, burst: 2)),
            "4g": (link(delay: 40, jitter: 8, loss: 0.005, kbps: 5_000), link(delay: 40, jitter: 8, loss: 0.005, kbps: 12_000)),
            "3g": (link(delay: 100, jitter: 20, loss: 0.01, kbps: 750), link(delay: 100, jitter: 20, loss: 0.01, kbps: 1_600)),
            "mobile-congested": (link(delay: 80, jitter: 30, loss: 0.03, kbps: 600, burst: 3), link(delay: 80, jitter: 30, loss: 0.03, kbps: 1_000, burst: 3)),
        ]
        return NetworkPresetCatalog(names: table.keys.sorted()) { name in
            table[name].map { NetworkScenario(name: name, uplink: $0.0, downlink: $0.1) }
        }
    }()
}
