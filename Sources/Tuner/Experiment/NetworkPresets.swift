import Harness

/// Where the tuner looks up network preset names (tests can pass their own catalog).
public struct NetworkPresetCatalog: Sendable {
    /// Returns the scenario for a name, or nil.
    public var lookup: @Sendable (String) -> NetworkScenario?
    /// Names offered in did-you-mean suggestions.
    public var names: [String]

    public init(names: [String], lookup: @escaping @Sendable (String) -> NetworkScenario?) {
        self.names = names
        self.lookup = lookup
    }

    /// The emulator's named presets (`NetworkScenario.preset(named:)`, docs/network-presets.md).
    public static let standard = NetworkPresetCatalog(names: NetworkScenario.presetNames) { name in
        try? NetworkScenario.preset(named: name)
    }
}
