import ControlAPI
import Engine
import NIOCore
import NIOPosix

/// The sockets of one engine transport: a UDP channel, or a TCP listener and the connections it
/// accepted (RFC 4571 framing). Confined to the room's event loop (hence `@unchecked Sendable`:
/// it only crosses threads inside closures that run on that loop).
final class RoomTransport: @unchecked Sendable {
    let id: TransportID
    let `protocol`: TransportProtocol
    /// The engine's name for the transport's local end (a label, not a socket address).
    let label: Endpoint
    /// The UDP channel, or the TCP listening channel.
    var channel: (any Channel)?
    /// Accepted TCP connections by peer.
    var connections: [Endpoint: any Channel] = [:]
    /// The real local port clients send to or connect to.
    var port: UInt16 = 0
    var bytesReceived = 0
    var bytesSent = 0
    /// Something was written since the last flush.
    var needsFlush = false
    /// The last destination of a UDP write and its socket address (saves a conversion per packet).
    private var lastDestination: (Endpoint, SocketAddress)?

    init(id: TransportID, protocol: TransportProtocol, label: Endpoint) {
        self.id = id
        self.protocol = `protocol`
        self.label = label
    }

    /// Queues `bytes` (copied) for `destination`; `flush()` sends. Returns why it was dropped, if it was.
    func write(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> ServerDropReason? {
        switch `protocol` {
        case .udp:
            guard let channel else { return .socketError }
            guard channel.isWritable else { return .sendBufferFull }
            let address: SocketAddress
            if let (endpoint, cached) = lastDestination, endpoint == destination {
                address = cached
            } else {
                address = SocketAddress(destination)
                lastDestination = (destination, address)
            }
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            channel.write(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
            bytesSent += bytes.count
            needsFlush = true
            return nil
        case .tcp:
            guard let connection = connections[destination] else { return .noConnection }
            guard connection.isWritable else { return .sendBufferFull }
            guard bytes.count <= Int(UInt16.max) else { return .socketError }
            var buffer = connection.allocator.buffer(capacity: bytes.count + 2)
            buffer.writeInteger(UInt16(bytes.count))
            buffer.writeBytes(bytes)
            connection.write(buffer, promise: nil)
            bytesSent += bytes.count
            needsFlush = true
            return nil
        }
    }

    /// Sends what `write` queued.
    func flush() {
        guard needsFlush else { return }
        needsFlush = false
        switch `protocol` {
        case .udp: channel?.flush()
        case .tcp: for connection in connections.values { connection.flush() }
        }
    }

    /// Closes the sockets.
    func close() -> EventLoopFuture<Void>? {
        guard let channel else { return nil }
        self.channel = nil
        for connection in connections.values { connection.close(promise: nil) }
        connections.removeAll()
        return channel.close().flatMapErrorThrowing { _ in }
    }
}

extension SocketAddress {
    /// The socket address of an IPv4 endpoint.
    init(_ endpoint: Endpoint) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        address.sin_addr = in_addr(s_addr: endpoint.address.bigEndian)
        self.init(address, host: "")
    }
}

extension Endpoint {
    /// The endpoint of an IPv4 socket address; nil for IPv6 and Unix sockets.
    init?(_ address: SocketAddress) {
        guard case .v4(let v4) = address else { return nil }
        self.init(address: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(bigEndian: v4.address.sin_port))
    }
}
