import Engine
import NIOCore

/// Hands every datagram a UDP transport's channel reads to its room, stamped with the monotonic
/// clock. Runs on the room's event loop.
final class UDPTransportHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let room: Room
    private let transport: RoomTransport

    init(room: Room, transport: RoomTransport) {
        self.room = room
        self.transport = transport
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let readAt = MonotonicClock.now()
        let envelope = unwrapInboundIn(data)
        guard let peer = Endpoint(envelope.remoteAddress) else {
            room.drop(.unsupportedAddress)
            return
        }
        room.receive(envelope.data, from: peer, on: transport, readAt: readAt)
    }

    /// A failed read or write (an ICMP error, say) is counted; the socket stays open.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        room.drop(.socketError)
        room.logger.debug("udp socket error", metadata: ["transport": "\(transport.id.rawValue)", "error": "\(error)"])
    }
}
