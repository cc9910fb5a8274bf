/// An RTCP packet type this module does not interpret, kept whole (header included).
public struct RTCPUnknownPacket: Hashable, Sendable {
    public var packetType: UInt8
    public var countOrFormat: UInt8
    /// The whole packet, header through padding.
    public var bytes: [UInt8]

    public init(packetType: UInt8, countOrFormat: UInt8, bytes: [UInt8]) {
        self.packetType = packetType
        self.countOrFormat = countOrFormat
        self.bytes = bytes
    }

    /// The packet's length in bytes.
    public var length: Int { bytes.count }
}
