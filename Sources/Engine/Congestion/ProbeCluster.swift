/// A burst of packets sent at a target rate to measure whether the path carries it
/// (libwebrtc `ProbeClusterConfig`): at least `minPackets` packets over at least `minDuration`.
public struct ProbeCluster: Sendable, Equatable {
    public var id: Int
    /// Rate the cluster is paced at.
    public var bitrate: Bitrate
    /// Fewest packets in the cluster. Default 5.
    public var minPackets = 5
    /// Shortest duration of the cluster. Default 15 ms.
    public var minDuration: Duration = .milliseconds(15)

    public init(id: Int, bitrate: Bitrate) {
        self.id = id
        self.bitrate = bitrate
    }

    /// Bytes the cluster must carry.
    public var totalBytes: Int { Int(bitrate.bytes(in: minDuration)) }
}
