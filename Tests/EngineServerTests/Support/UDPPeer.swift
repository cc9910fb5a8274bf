import Engine
import NIOCore
import NIOPosix

/// A participant's UDP socket on 127.0.0.1 (a real NIO channel): sends datagrams to server ports
/// and keeps what it receives in `inbox`.
final class UDPPeer: @unchecked Sendable {
    let channel: any Channel
    let inbox = Inbox()

    var port: UInt16 { UInt16(channel.localAddress!.port!) }

    init(group: any EventLoopGroup) throws {
        let inbox = self.inbox
        channel = try DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2_048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    func send(_ bytes: [UInt8], toPort port: UInt16) throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: Int(port))
        try channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes))).wait()
    }

    func close() { try? channel.close().wait() }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var envelope = unwrapInboundIn(data)
            inbox.append(envelope.data.readBytes(length: envelope.data.readableBytes) ?? [])
        }
    }
}
