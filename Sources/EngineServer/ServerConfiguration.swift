import Engine

/// How `EngineServer` runs: the profile every room's engine is made from, where it listens, and
/// the seed its engines draw from.
public struct ServerConfiguration: Sendable {
    /// Every room's engine runs this profile; `worker.count` is the number of worker event loops.
    public var profile: Profile
    /// IPv4 address the control API and every transport listen on.
    public var listenHost: String
    /// Control API port; 0 picks a free one (`EngineServer.controlPort` tells which).
    public var controlPort: Int
    /// Seed of the first room's engine; room `n` (in creation order) gets a seed derived from it,
    /// so a server started with the same seed and driven the same way makes the same choices.
    public var seed: UInt64

    public init(profile: Profile = Profile(), listenHost: String = "127.0.0.1", controlPort: Int = 0, seed: UInt64 = 1) {
        self.profile = profile
        self.listenHost = listenHost
        self.controlPort = controlPort
        self.seed = seed
    }

    /// The engine seed of the room created `index`-th (0 first).
    func roomSeed(_ index: Int) -> UInt64 {
        seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
    }
}
