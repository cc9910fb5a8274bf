/// An IPv4 transport address (address and port), used to name both ends of a datagram.
///
/// In simulated mode endpoints are labels in the loopback range that never reach a socket;
/// in live mode the engine server maps them to and from real socket addresses.
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// IPv4 address in host byte order.
    public var address: UInt32
    public var port: UInt16

    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Creates an endpoint from four dotted-quad octets and a port.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        address = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
        self.port = port
    }

    public var description: String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF):\(port)"
    }
}
