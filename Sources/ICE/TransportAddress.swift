/// An IP address, version 4 or 6, in host byte order.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, most significant octet first (192.0.2.1 is 0xC000_0201).
    case v4(UInt32)
    /// An IPv6 address as two 64-bit halves, most significant first.
    case v6(high: UInt64, low: UInt64)

    /// Creates an IPv4 address from its four dotted-quad octets.
    public static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddress {
        .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// The IPv4 loopback address 127.0.0.1.
    public static let loopbackV4 = IPAddress.v4(127, 0, 0, 1)

    public var description: String {
        switch self {
        case .v4(let a):
            return "\(a >> 24).\(a >> 16 & 0xFF).\(a >> 8 & 0xFF).\(a & 0xFF)"
        case .v6(let high, let low):
            let groups = (0..<8).map { index -> String in
                let word = index < 4 ? high >> (48 - 16 * UInt64(index)) : low >> (48 - 16 * UInt64(index - 4))
                return String(word & 0xFFFF, radix: 16)
            }
            return groups.joined(separator: ":")
        }
    }
}

/// An IP address and a port: one end of a datagram or of a TCP connection.
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    public var ip: IPAddress
    public var port: UInt16

    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Creates an IPv4 transport address from a host-order address (the representation of the
    /// engine's `Endpoint`) and a port.
    public init(ipv4 address: UInt32, port: UInt16) {
        self.init(ip: .v4(address), port: port)
    }

    public var description: String {
        switch ip {
        case .v4: return "\(ip):\(port)"
        case .v6: return "[\(ip)]:\(port)"
        }
    }
}

/// The transport protocol of a tuple (mediasoup's `TransportTuple.protocol`).
public enum ICETransportProtocol: String, Hashable, Sendable, CaseIterable {
    case udp
    /// TCP with RFC 4571 framing, done by the caller: the ICE types see whole STUN messages.
    case tcp
}

/// A 5-tuple: the local and remote transport addresses and the protocol. ICE checks and
/// nominates tuples; the lite agent answers on the tuple a request arrived on.
public struct ICETransportTuple: Hashable, Sendable, CustomStringConvertible {
    public var local: TransportAddress
    public var remote: TransportAddress
    public var transport: ICETransportProtocol

    public init(local: TransportAddress, remote: TransportAddress, transport: ICETransportProtocol = .udp) {
        self.local = local
        self.remote = remote
        self.transport = transport
    }

    public var description: String { "\(transport) \(local) <-> \(remote)" }
}
