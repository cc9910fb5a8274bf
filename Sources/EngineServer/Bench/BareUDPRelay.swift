import NIOCore
import NIOPosix

/// The floor `LiveBenchmark` compares the engine with: one UDP socket that sends a copy of every
/// datagram from one participant to every other participant, unchanged — the same sockets and
/// fan-out as the engine, with no engine.
final class BareUDPRelay: @unchecked Sendable {
    let channel: any Channel

    var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds on 127.0.0.1 on `loop`; `participants` are the addresses it fans out to.
    init(loop: any EventLoop, participants: [SocketAddress]) throws {
        channel = try DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2_048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FanOut(participants: participants))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    private final class FanOut: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let participants: [SocketAddress]

        init(participants: [SocketAddress]) { self.participants = participants }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            for participant in participants where participant != envelope.remoteAddress {
                var copy = context.channel.allocator.buffer(capacity: envelope.data.readableBytes)
                copy.writeImmutableBuffer(envelope.data)
                context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: participant, data: copy)), promise: nil)
            }
            // One flush per input datagram, as the engine server does.
            context.flush()
        }
    }
}
