import Engine
import Histogram
import NIOCore
import NIOPosix
import RTP
import WebRTCTransport

/// One simulated participant of `LiveBenchmark`: a UDP socket on 127.0.0.1 that sends stamped RTP
/// packets and records the one-way delay of every stamped packet it receives (same process, same
/// monotonic clock). Everything runs on the participants' event loop.
final class BenchParticipant: @unchecked Sendable {
    /// First bytes of a benchmark payload: the send time (monotonic ns) and the sender's index.
    static let stampBytes = 12

    let index: Int
    let channel: any Channel
    private let receiver: Receiver
    private var sequence: UInt16 = 0
    private var timestamp: UInt32 = 0
    private(set) var sent = 0

    var port: Int { channel.localAddress?.port ?? 0 }

    init(index: Int, loop: any EventLoop) throws {
        self.index = index
        let receiver = Receiver()
        self.receiver = receiver
        channel = try DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2_048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(receiver) }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    /// Sends one RTP packet (`ssrc`, `payloadType`) of `payloadBytes` bytes to `destination`, its
    /// payload stamped with the send time. Call on the participants' loop.
    func sendPacket(ssrc: UInt32, payloadType: UInt8, payloadBytes: Int, to destination: SocketAddress) {
        var payload = [UInt8](repeating: 0, count: max(payloadBytes, Self.stampBytes))
        let builder = RTPPacketBuilder(payloadType: payloadType, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc)
        sequence &+= 1
        timestamp &+= 960
        let now = MonotonicClock.now()
        withUnsafeBytes(of: now.littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: UInt32(index).littleEndian) { payload.replaceSubrange(8..<12, with: $0) }
        guard var packet = try? builder.build(payload: payload) else { return }
        if let security = receiver.security {
            guard let protected = security.protect(packet, rtcp: false) else { return }
            packet = protected
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: channel.allocator.buffer(bytes: packet)), promise: nil)
        sent += 1
    }

    /// Stamped packets received and their one-way delays. Call on the participants' loop.
    var received: (count: Int, delays: Histogram<UInt64>) { (receiver.count, receiver.delays) }

    /// The set-up time (first ICE check to SRTP keys) once `connect` succeeded.
    var setupTime: Duration? { receiver.security?.setupTime }

    /// Runs ICE and DTLS with `security` against the webrtc transport at `server`; from then on
    /// packets are protected before sending and decrypted on receipt. Any thread; the future
    /// fails when DTLS fails or 10 s pass.
    func connect(_ security: UncheckedSendableBox<WebRTCClientSecurity>, server: SocketAddress) -> EventLoopFuture<Void> {
        let loop = channel.eventLoop
        return loop.flatSubmit { [receiver, channel] in
            let promise = loop.makePromise(of: Void.self)
            receiver.security = security.value
            receiver.server = server
            receiver.handshake = promise
            security.value.start(now: Receiver.now())
            receiver.drainSecurity(channel)
            let timers = loop.scheduleRepeatedTask(initialDelay: .milliseconds(10), delay: .milliseconds(10)) { _ in
                let now = Receiver.now()
                if let due = security.value.nextDeadline(now: now), due <= now { security.value.handleTimeout(now: now) }
                receiver.drainSecurity(channel)
            }
            let deadline = loop.scheduleTask(in: .seconds(10)) {
                receiver.handshake?.fail(BenchSetupError(description: "ICE + DTLS with \(server) did not finish within 10 s"))
                receiver.handshake = nil
            }
            promise.futureResult.whenComplete { _ in
                timers.cancel()
                deadline.cancel()
            }
            return promise.futureResult
        }
    }

    /// Records stamped RTP packets; anything else (RTCP from the engine) is ignored.
    private final class Receiver: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        var security: WebRTCClientSecurity?
        var server: SocketAddress?
        var handshake: EventLoopPromise<Void>?
        var count = 0
        var delays: Histogram<UInt64> = {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000_000,
                                              numberOfSignificantValueDigits: .three)
            histogram.autoResize = true
            return histogram
        }()

        static func now() -> Instant { Instant(nanoseconds: Int64(MonotonicClock.now())) }

        /// Sends what the security layer queued; settles the handshake once DTLS is done.
        func drainSecurity(_ channel: any Channel) {
            guard let security, let server else { return }
            while let output = security.poll() {
                if case .transmit(_, let bytes) = output {
                    channel.write(AddressedEnvelope(remoteAddress: server, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
                }
            }
            channel.flush()
            switch security.dtlsState {
            case .connected:
                handshake?.succeed()
                handshake = nil
            case .failed, .closed:
                handshake?.fail(BenchSetupError(description: "DTLS with \(server) failed: \(security.dtlsFailure.map { "\($0)" } ?? "closed")"))
                handshake = nil
            case .new, .connecting:
                break
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let now = MonotonicClock.now()
            let envelope = unwrapInboundIn(data)
            if let security {
                let (result, plain) = security.handle(Array(envelope.data.readableBytesView), now: Self.now())
                drainSecurity(context.channel)
                guard case .rtp = result else { return }
                plain.withUnsafeBytes { record($0, receivedAt: now) }
                return
            }
            envelope.data.withUnsafeReadableBytes { record($0, receivedAt: now) }
        }

        private func record(_ bytes: UnsafeRawBufferPointer, receivedAt now: UInt64) {
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes),
                  header.payloadRange.count >= BenchParticipant.stampBytes else { return }
            let start = header.payloadRange.lowerBound
            var sentAt: UInt64 = 0
            withUnsafeMutableBytes(of: &sentAt) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<start + 8])) }
            sentAt = UInt64(littleEndian: sentAt)
            guard sentAt <= now else { return }
            count += 1
            _ = delays.record(now - sentAt)
        }
    }
}

/// Why a benchmark participant could not set up its webrtc transport.
struct BenchSetupError: Error, CustomStringConvertible {
    var description: String
}

/// Hands a non-Sendable value to the event loop that will be its only user.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
}
