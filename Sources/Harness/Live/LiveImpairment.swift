/// Where a live trial applies the network scenario's impairments (docs/live-mode.md).
public enum LiveImpairment: String, Sendable, Hashable, CaseIterable, Codable {
    /// A relay per link in the load generator, in front of the participants' sockets on
    /// 127.0.0.1. Over TCP, loss is modelled as retransmission delay (`TCPRecoveryModel`): the
    /// kernel never sees a lost segment.
    case user
    /// The same `LinkEmulator` per link, on the raw IP packets that cross a pair of TUN devices
    /// between two network namespaces (participants in one, the engine server in the other):
    /// lost TCP segments are really lost, and the kernel's TCP retransmits them. Needs root.
    case kernel

    /// How results name the place (`liveImpairments`).
    public var place: String {
        switch self {
        case .user: "user space in the load generator"
        case .kernel: "kernel (TUN in network namespaces)"
        }
    }
}
