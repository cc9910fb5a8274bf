import ControlAPI
import Foundation
import NIOCore
import NIOPosix

/// The receiving end of a room tap (docs/control-api.md, "Taps"): a UDP socket that parses every
/// datagram as a `TapFrame` and queues it for `take(until:)`. Datagrams that are not tap frames
/// are counted (`garbage`) and dropped. Thread-safe: frames arrive on a SwiftNIO loop and are
/// taken from any other thread.
public final class TapReceiver: @unchecked Sendable {
    /// A frame and the port it came from.
    public struct Received: Sendable {
        public var frame: TapFrame
        public var sourcePort: UInt16
    }

    private let channel: any Channel
    private let condition = NSCondition()
    private var queue: [Received] = []
    private var garbageCount = 0
    private var lastGarbage: String?

    /// The bound address, for `CreateTapRequest`.
    public let ip: String
    public let port: UInt16

    /// Binds a UDP socket on `host` (port 0: the kernel picks) with a receive buffer of
    /// `receiveBufferBytes`, so bursts wait in the kernel rather than being lost.
    public init(host: String, receiveBufferBytes: Int = 8 << 20, group: (any EventLoopGroup)? = nil) throws {
        let box = Box()
        channel = try DatagramBootstrap(group: group ?? MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
            .channelOption(.maxMessagesPerRead, value: 32)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(box: box))
                }
            }
            .bind(host: host, port: 0).wait()
        ip = host
        port = UInt16(channel.localAddress?.port ?? 0)
        box.receiver = self
    }

    /// Waits until a frame is queued or `deadline` passes; returns every queued frame (possibly none).
    public func take(until deadline: Date) -> [Received] {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, condition.wait(until: deadline) {}
        defer { queue.removeAll(keepingCapacity: true) }
        return queue
    }

    /// Datagrams that were not tap frames, and the last one's problem.
    public var garbage: (count: Int, last: String?) {
        condition.lock()
        defer { condition.unlock() }
        return (garbageCount, lastGarbage)
    }

    /// Closes the socket.
    public func close() {
        try? channel.close().wait()
    }

    fileprivate func received(_ bytes: ByteBuffer, from address: SocketAddress) {
        let parsed = bytes.withUnsafeReadableBytes { raw in Result { () throws(TapFrameError) in try TapFrame(parsing: raw) } }
        condition.lock()
        defer { condition.unlock() }
        switch parsed {
        case .success(let frame):
            queue.append(Received(frame: frame, sourcePort: UInt16(address.port ?? 0)))
            condition.broadcast()
        case .failure(let error):
            garbageCount += 1
            lastGarbage = error.description
        }
    }

    /// Lets the handler reach the receiver, which exists only after the channel is bound.
    private final class Box: @unchecked Sendable {
        weak var receiver: TapReceiver?
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let box: Box
        init(box: Box) { self.box = box }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            box.receiver?.received(envelope.data, from: envelope.remoteAddress)
        }

        /// An ICMP error or a failed read: nothing to do, the socket stays open.
        func errorCaught(context: ChannelHandlerContext, error: any Error) {}
    }
}
