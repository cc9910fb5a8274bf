/// Fixed parts of a workload file (docs/workload-format.md):
/// a 16-byte header, the tracks' packet records, the JSON manifest, and a 24-byte trailer.
enum WorkloadFileLayout {
    /// Header: magic (8) + format version (u32 LE) + reserved (u32, 0).
    static let headerMagic: [UInt8] = Array("SFULABWL".utf8)
    static let headerSize = 16
    /// Trailer: manifest offset (u64 LE) + manifest length (u64 LE) + magic (8).
    static let trailerMagic: [UInt8] = Array("SFUWLEND".utf8)
    static let trailerSize = 24
    /// Largest manifest accepted (64 MiB): a 1000-participant meeting stays well below.
    static let maxManifestSize: UInt64 = 64 << 20
}

/// Upgrades manifests written by older format versions to the current one.
///
/// Each step takes the manifest JSON of version `n` and returns it as version `n + 1`; the
/// reader chains steps from the file's version up to `WorkloadManifest.currentVersion`. A step
/// that changes the packet record layout must also teach `WorkloadPacketCursor` the old
/// layout. Version 1 is the first format, so the built-in table is empty.
public struct WorkloadMigrations: Sendable {
    /// Upgrades manifest JSON from one version to the next.
    public typealias Step = @Sendable (_ manifestJSON: [UInt8]) throws -> [UInt8]

    /// Steps keyed by the version they upgrade from.
    public var steps: [Int: Step]

    public init(steps: [Int: Step]) { self.steps = steps }

    /// The migrations this build knows.
    public static let builtIn = WorkloadMigrations(steps: [:])
}
