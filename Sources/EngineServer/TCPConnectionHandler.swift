import Engine
import EngineClient
import NIOCore

/// One accepted TCP connection of a transport: registers it under its peer endpoint (where the
/// engine's transmits to that peer go), hands each RFC 4571 frame to the room, and closes the
/// connection on a framing error (counted as `tcpFraming`). Runs on the room's event loop.
final class TCPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let room: Room
    private let transport: RoomTransport
    private var peer: Endpoint?

    init(room: Room, transport: RoomTransport) {
        self.room = room
        self.transport = transport
    }

    func channelActive(context: ChannelHandlerContext) {
        guard let address = context.remoteAddress, let peer = Endpoint(address) else {
            room.drop(.unsupportedAddress)
            context.close(promise: nil)
            return
        }
        self.peer = peer
        transport.connections[peer] = context.channel
        room.tcpConnected(transport, peer: peer)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let peer, transport.connections[peer] === context.channel { transport.connections[peer] = nil }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let readAt = MonotonicClock.now()
        guard let peer else { return }
        room.receive(unwrapInboundIn(data), from: peer, on: transport, readAt: readAt)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is RFC4571FrameDecoder.FramingError || error is ByteToMessageDecoderError {
            room.drop(.tcpFraming)
        } else {
            room.drop(.socketError)
        }
        room.logger.debug("tcp connection closed", metadata: ["transport": "\(transport.id.rawValue)", "error": "\(error)"])
        context.close(promise: nil)
    }
}
