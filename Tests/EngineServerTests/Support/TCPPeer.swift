import EngineClient
@testable import EngineServer
import NIOCore
import NIOPosix

/// A participant's TCP connection to a transport port, framing packets as RFC 4571 says; the
/// frames it receives go to `inbox`.
final class TCPPeer: @unchecked Sendable {
    let channel: any Channel
    let inbox = Inbox()

    var localPort: UInt16 { UInt16(channel.localAddress!.port!) }

    init(group: any EventLoopGroup, port: UInt16) throws {
        let inbox = self.inbox
        channel = try ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RFC4571FrameDecoder(maxFrameLength: 65_535)))
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: Int(port)).wait()
    }

    /// Sends `bytes` framed (16-bit length first).
    func send(_ bytes: [UInt8]) throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count + 2)
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
        try channel.writeAndFlush(buffer).wait()
    }

    /// Sends `bytes` as they are (no framing).
    func sendRaw(_ bytes: [UInt8]) throws {
        try channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).wait()
    }

    func close() { try? channel.close().wait() }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var frame = unwrapInboundIn(data)
            inbox.append(frame.readBytes(length: frame.readableBytes) ?? [])
        }
    }
}
