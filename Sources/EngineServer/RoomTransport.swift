import ControlAPI
import Engine
import ICE
import NIOCore
import NIOPosix
import WebRTCTransport

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
    /// ICE-lite, DTLS and SRTP of a webrtc transport; nil for a plain one.
    let security: WebRTCServerSecurity?
    /// `security`'s next deadline (ICE consent, DTLS retransmission) as of the last time the room
    /// drained it: only STUN, DTLS, timeouts and close move it (SRTP media does not), and each of
    /// those is followed by a drain, so the room reads this instead of asking every transport's
    /// agent and OpenSSL on every datagram.
    var securityDeadline: Instant?
    /// The socket's address as ICE names the local end of a tuple (webrtc transports).
    var localAddress = TransportAddress(ipv4: 0, port: 0)

    init(id: TransportID, protocol: TransportProtocol, label: Endpoint, security: WebRTCServerSecurity? = nil) {
        self.id = id
        self.protocol = `protocol`
        self.label = label
        self.security = security
    }

    /// The ICE tuple of a datagram from `peer`.
    func tuple(from peer: Endpoint) -> ICETransportTuple {
        ICETransportTuple(local: localAddress, remote: TransportAddress(ipv4: peer.address, port: peer.port),
                          transport: `protocol` == .udp ? .udp : .tcp)
    }

    /// Queues `bytes` (copied) for `destination`; `flush()` sends. Returns why it was dropped, if it was.
    func write(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> ServerDropReason? {
        let framing = `protocol` == .tcp ? 2 : 0
        guard bytes.count <= Int(UInt16.max) || framing == 0 else { return .socketError }
        guard let allocator = `protocol` == .udp ? channel?.allocator : connections[destination]?.allocator else {
            return `protocol` == .udp ? .socketError : .noConnection
        }
        var buffer = allocator.buffer(capacity: bytes.count + framing)
        if framing > 0 { buffer.writeInteger(UInt16(bytes.count)) }
        buffer.writeBytes(bytes)
        return send(buffer, to: destination, payload: bytes.count)
    }

    /// Queues `bytes` (copied) for `destination` as they are (STUN, DTLS: already in their wire form).
    func write(_ bytes: [UInt8], to destination: Endpoint) -> ServerDropReason? {
        bytes.withUnsafeBytes { write($0, to: destination) }
    }

    /// Protects a copy of `bytes` with the transport's SRTP session and queues it for ICE's
    /// selected tuple; `flush()` sends. Returns why the server dropped it, or `securityDropped`
    /// when the security layer did (and counted it: no keys yet, no selected tuple).
    func writeProtected(_ bytes: UnsafeRawBufferPointer, security: WebRTCServerSecurity, rtcp: Bool)
        -> (dropped: ServerDropReason?, securityDropped: Bool)
    {
        guard let channel else { return (.socketError, false) }
        let framing = `protocol` == .tcp ? 2 : 0
        let capacity = framing + bytes.count + (rtcp ? security.overhead.rtcp : security.overhead.rtp)
        var buffer = channel.allocator.buffer(capacity: capacity)
        var tuple: ICETransportTuple?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { target in
            let packet = UnsafeMutableRawBufferPointer(rebasing: target[framing...])
            packet.copyMemory(from: bytes)
            guard let (length, selected) = security.protect(packet, length: bytes.count, rtcp: rtcp) else { return 0 }
            tuple = selected
            if framing > 0 {
                target[0] = UInt8(truncatingIfNeeded: length >> 8)
                target[1] = UInt8(truncatingIfNeeded: length)
            }
            return framing + length
        }
        guard let tuple, case .v4(let address) = tuple.remote.ip else { return (nil, true) }
        return (send(buffer, to: Endpoint(address: address, port: tuple.remote.port), payload: buffer.readableBytes - framing), false)
    }

    /// Queues a buffer already framed for the socket (RFC 4571 length included over TCP).
    private func send(_ buffer: ByteBuffer, to destination: Endpoint, payload: Int) -> ServerDropReason? {
        switch `protocol` {
        case .udp:
            guard let channel else { return .socketError }
            guard channel.isWritable else { return .sendBufferFull }
            channel.write(AddressedEnvelope(remoteAddress: socketAddress(destination), data: buffer), promise: nil)
        case .tcp:
            guard let connection = connections[destination] else { return .noConnection }
            guard connection.isWritable else { return .sendBufferFull }
            guard payload <= Int(UInt16.max) else { return .socketError }
            connection.write(buffer, promise: nil)
        }
        bytesSent += payload
        needsFlush = true
        return nil
    }

    private func socketAddress(_ destination: Endpoint) -> SocketAddress {
        if let (endpoint, cached) = lastDestination, endpoint == destination { return cached }
        let address = SocketAddress(destination)
        lastDestination = (destination, address)
        return address
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
