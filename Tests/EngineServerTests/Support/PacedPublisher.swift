import Foundation
import Media
import NIOConcurrencyHelpers
import NIOCore
import RTP

/// A real-time publisher for tests: sends RTP packets built from workload records from a
/// `UDPPeer`, each at its own offset from when `send` was called (SwiftNIO scheduled tasks on the
/// peer's loop, as a sender paced by its encoder would), and notes when each actually left.
final class PacedPublisher: @unchecked Sendable {
    /// One RTP stream built from a track's records.
    struct Stream {
        var ssrc: UInt32
        var payloadType: UInt8
        var isVideo: Bool
        var sequence: UInt16
        var timestampBase: UInt32

        /// The RTP packet of `record` (marker from the frame end, for video), advancing the sequence number.
        mutating func packet(_ record: WorkloadPacket) -> [UInt8] {
            defer { sequence &+= 1 }
            return try! RTPPacketBuilder(marker: isVideo && record.isFrameEnd, payloadType: payloadType, sequenceNumber: SequenceNumber(sequence),
                                         timestamp: timestampBase &+ record.rtpTimestamp, ssrc: ssrc).build(payload: record.payload)
        }
    }

    /// A packet to send `offsetMicros` after `send` is called.
    struct Item {
        var offsetMicros: Int64
        var ssrc: UInt32
        var bytes: [UInt8]
    }

    let peer: UDPPeer
    private let sent = NIOLockedValueBox([UInt32: [UInt64]]())

    init(peer: UDPPeer) { self.peer = peer }

    /// Monotonic send times (ns) of the packets of `ssrc`, in order.
    func sendTimes(_ ssrc: UInt32) -> [UInt64] { sent.withLockedValue { $0[ssrc] ?? [] } }

    /// Schedules `items` to `port` on 127.0.0.1; the future completes once the last one went out.
    func send(_ items: [Item], toPort port: UInt16) throws -> EventLoopFuture<Void> {
        let channel = peer.channel
        let loop = channel.eventLoop
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: Int(port))
        let start = NIODeadline.now()
        let tasks = items.map { item in
            loop.scheduleTask(deadline: start + .microseconds(item.offsetMicros)) { [sent] in
                channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: item.bytes)), promise: nil)
                let now = DispatchTime.now().uptimeNanoseconds
                sent.withLockedValue { $0[item.ssrc, default: []].append(now) }
            }.futureResult
        }
        return EventLoopFuture.andAllSucceed(tasks, on: loop)
    }
}
