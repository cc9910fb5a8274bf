import ControlAPI
import Engine
import NIOCore

/// One tap of a room (docs/control-api.md, "Taps"): a UDP socket connected to the receiver, to
/// which the room copies every media packet its engine accepted from a producer, and an event on
/// every producer or consumer change, each framed as a `TapFrame`. Confined to the room's loop.
///
/// The send queue is the channel's pending writes, bounded by `RoomTap.waterMark`: when it is
/// over the high mark the channel is not writable and frames are dropped (counted, and their
/// sequence numbers skipped so the receiver sees the gap) — a slow receiver never holds up
/// forwarding. A receiver that goes away (ICMP port unreachable on the connected socket, or a
/// failed write) makes the room close the tap (`Room.tapFailed`).
final class RoomTap: @unchecked Sendable {
    let id: Int
    let ip: String
    let port: UInt16
    /// Monotonic clock reading (ns) of the tap's time zero.
    let startedAt: UInt64
    var channel: (any Channel)?
    private(set) var nextSequence: UInt32 = 0
    private(set) var framesSent = 0
    private(set) var framesDropped = 0
    private(set) var bytesSent = 0
    private var needsFlush = false
    /// Closed by the room (deleted, failed, or the room closed): later channel errors are ignored.
    var isClosed = false

    /// Pending bytes above which frames are dropped (high), and below which sending resumes (low).
    static let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 << 10, high: 1 << 20)

    init(id: Int, ip: String, port: UInt16, startedAt: UInt64) {
        self.id = id
        self.ip = ip
        self.port = port
        self.startedAt = startedAt
    }

    /// µs of tap time at monotonic reading `monotonic` (0 before the tap started).
    @inline(__always)
    func micros(_ monotonic: UInt64) -> UInt64 { monotonic > startedAt ? (monotonic &- startedAt) / 1_000 : 0 }

    /// Queues a media frame for a packet the server read at `readAt`. False when it was dropped.
    func sendMedia(_ media: AcceptedMedia, readAt: UInt64) -> Bool {
        send(kind: .media, isRetransmission: media.isRetransmission, detail: UInt8(truncatingIfNeeded: media.encodingIndex),
             timeMicros: micros(readAt), producer: media.producer.rawValue, transport: media.transport.rawValue, body: media.bytes)
    }

    /// Queues an event frame carrying `description` (JSON). False when it was dropped.
    func sendEvent(_ event: TapFrame.Event, producer: Int, transport: Int, description: [UInt8], at monotonic: UInt64) -> Bool {
        description.withUnsafeBytes { body in
            send(kind: .event, isRetransmission: false, detail: event.rawValue, timeMicros: micros(monotonic), producer: producer,
                 transport: transport, body: body)
        }
    }

    private func send(kind: TapFrame.Kind, isRetransmission: Bool, detail: UInt8, timeMicros: UInt64, producer: Int, transport: Int,
                      body: UnsafeRawBufferPointer) -> Bool {
        let sequence = nextSequence
        nextSequence &+= 1
        guard let channel, !isClosed, channel.isWritable else {
            framesDropped += 1
            return false
        }
        var buffer = channel.allocator.buffer(capacity: TapFrame.headerSize + body.count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: TapFrame.headerSize) { header in
            TapFrame.writeHeader(into: header, kind: kind, isRetransmission: isRetransmission, detail: detail, sequence: sequence,
                                 timeMicros: timeMicros, producer: producer, transport: transport)
            return TapFrame.headerSize
        }
        buffer.writeBytes(body)
        bytesSent += buffer.readableBytes
        framesSent += 1
        channel.write(buffer, promise: nil)
        needsFlush = true
        return true
    }

    /// Sends what was queued.
    func flush() {
        guard needsFlush else { return }
        needsFlush = false
        channel?.flush()
    }

    var stats: TapStats {
        TapStats(id: id, ip: ip, port: port, framesSent: framesSent, framesDropped: framesDropped, bytesSent: bytesSent)
    }

    /// Flushes and closes the socket.
    func close() -> EventLoopFuture<Void>? {
        isClosed = true
        guard let channel else { return nil }
        self.channel = nil
        if needsFlush { channel.flush() }
        return channel.close().flatMapErrorThrowing { _ in }
    }
}

/// The tap socket's handler: whatever the receiver sends is ignored; an error (ICMP port
/// unreachable shows up as ECONNREFUSED on the connected socket) or the socket closing under the
/// tap closes the tap.
final class TapChannelHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let room: Room
    private let tap: RoomTap

    init(room: Room, tap: RoomTap) {
        self.room = room
        self.tap = tap
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        room.tapFailed(tap, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        room.tapFailed(tap, reason: "the socket closed")
        context.fireChannelInactive()
    }
}
