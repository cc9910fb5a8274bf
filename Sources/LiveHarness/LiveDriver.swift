import Engine
import EngineClient
import Harness
import NIOCore
import NIOPosix
import WebRTCTransport

/// Runs a `LiveLoadGenerator` on one SwiftNIO event loop with the monotonic clock, and owns the
/// participants' sockets (one per engine transport: UDP, or TCP with RFC 4571 framing).
///
/// Time is `NIODeadline.now()` (CLOCK_MONOTONIC) minus the instant `start` was called, so the
/// generator sees the same `Instant`s from 0 that a simulated trial does. The loop wakes at the
/// generator's `nextDeadline()` and on every datagram read; each wake hands the generator the
/// time, then writes what its uplinks let through.
///
/// Every mutable property is touched only on `loop` (hence `@unchecked Sendable`); the methods
/// that say so may be called from any thread.
final class LiveDriver: @unchecked Sendable {
    /// Problems the driver met that end a trial.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Counters of what the sockets did, for the result.
    struct Counters {
        /// Datagrams read before the trial clock started (the server's early RTCP), dropped.
        var readBeforeStart = 0
        /// Datagrams the generator asked to send to an engine endpoint without a socket.
        var unroutable = 0
        /// Packets too long for RFC 4571 framing (never expected), dropped.
        var oversize = 0
        /// Socket writes that failed.
        var writeFailures = 0
        /// Packets the participants' security layers refused to protect (no keys, replay window), dropped.
        var unprotected = 0
    }

    struct Socket {
        var channel: any Channel
        /// UDP: the engine transport's address; nil over TCP (the connection is the address).
        var remote: SocketAddress?
    }

    let loop: any EventLoop
    private var generator: LiveLoadGenerator?
    private var running = false
    private var origin = NIODeadline.now()
    var sockets: [Endpoint: Socket] = [:]
    private var timer: Scheduled<Void>?
    private var timerAt: Instant?
    private var finished: EventLoopPromise<Void>?
    private(set) var counters = Counters()
    /// How late the loop woke for the generator's deadlines: when this grows, the load generator
    /// cannot keep up and the figures measure it rather than the engine.
    private(set) var timerLag = LatencyHistogram()
    /// The security layers of webrtc transports (ICE, DTLS, SRTP), by engine endpoint: media is
    /// encrypted right before the socket write and decrypted right after the read (LiveDriver+Security).
    var securities: [Endpoint: WebRTCClientSecurity] = [:]
    /// Handshakes under way, completed with the set-up time.
    var handshakes: [Endpoint: EventLoopPromise<Duration>] = [:]
    /// The security layers' own clock origin: they run from set-up on, before the trial clock starts.
    let securityOrigin = NIODeadline.now()
    var securityTimer: Scheduled<Void>?
    var securityTimerAt: NIODeadline?
    /// ICE + DTLS set-up time of every webrtc transport, in creation order.
    var setupTimes: [Duration] = []

    init(loop: any EventLoop) {
        self.loop = loop
    }

    // MARK: Sockets (any thread)

    /// Opens the participant's socket to the engine transport at `engine` and returns its local
    /// port: UDP bound to `host` port 0, or a TCP connection with RFC 4571 framing. The socket is
    /// created on the loop's thread, so it lives in that thread's network namespace (the
    /// participants' namespace on the kernel path).
    func open(engine: Endpoint, protocol transport: TransportProtocol, host: String) -> EventLoopFuture<Int> {
        loop.flatSubmit { self.openOnLoop(engine: engine, protocol: transport, host: host) }
    }

    private func openOnLoop(engine: Endpoint, protocol transport: TransportProtocol, host: String) -> EventLoopFuture<Int> {
        let remote: SocketAddress
        do { remote = try SocketAddress(ipAddress: Self.dotted(engine.address), port: Int(engine.port)) } catch {
            return loop.makeFailedFuture(error)
        }
        let future: EventLoopFuture<any Channel>
        switch transport {
        case .udp:
            future = DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramReceiver(driver: self, engine: engine))
                    }
                }
                .bind(host: host, port: 0)
        case .tcp:
            future = ClientBootstrap(group: loop)
                .connectTimeout(.seconds(10))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RFC4571FrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(FrameReceiver(driver: self, engine: engine))
                    }
                }
                .connect(to: remote)
        }
        return future.flatMapThrowing { channel in
            self.loop.preconditionInEventLoop()
            self.sockets[engine] = Socket(channel: channel, remote: transport == .udp ? remote : nil)
            guard let port = channel.localAddress?.port else { throw Failure(description: "socket to \(engine) has no local port") }
            return port
        }
    }

    /// Closes every socket (any thread).
    func closeAll() -> EventLoopFuture<Void> {
        loop.flatSubmit {
            let channels = self.sockets.values.map(\.channel)
            self.sockets = [:]
            self.securityTimer?.cancel()
            self.securityTimer = nil
            let now = self.securityNow()
            for security in self.securities.values { security.close(now: now) }
            self.securities = [:]
            return EventLoopFuture.andAllComplete(channels.map { $0.close() }, on: self.loop)
        }
    }

    // MARK: Running (on the loop unless said)

    /// Starts the trial clock (at `origin`, now when nil) and the generator; the future completes
    /// at `generator.end`, or fails when a TCP connection to the engine breaks. Any thread.
    func start(_ generator: UncheckedTransfer<LiveLoadGenerator>, origin: NIODeadline? = nil) -> EventLoopFuture<Void> {
        loop.flatSubmit {
            let promise = self.loop.makePromise(of: Void.self)
            self.finished = promise
            self.generator = generator.value
            if let security = self.securities.values.first, security.srtpProfile != nil {
                generator.value.srtpOverhead = security.overhead
            }
            self.origin = origin ?? .now()
            self.running = true
            self.step()
            return promise.futureResult
        }
    }

    /// The trial clock.
    func now() -> Instant {
        Instant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds &- origin.uptimeNanoseconds))
    }

    /// Runs `body` on the loop at trial time `time` and returns what it returns with the time it ran. Any thread.
    func at<T: Sendable>(_ time: Instant, _ body: @escaping @Sendable (Instant) -> T) -> EventLoopFuture<T> {
        loop.flatSubmit {
            self.loop.scheduleTask(deadline: self.origin + .nanoseconds(time.nanoseconds)) { body(self.now()) }.futureResult
        }
    }

    /// A datagram read from the socket of the transport at `engine`: through its security layer
    /// first on a webrtc transport (STUN and DTLS stay there; SRTP is decrypted).
    func received(_ bytes: [UInt8], from engine: Endpoint) {
        var packet = bytes
        if let security = securities[engine] {
            let (result, plain) = security.handle(bytes, now: securityNow())
            flushSecurity(engine, security)
            guard result.mediaLength != nil else { return }
            packet = plain
        }
        guard running, let generator else {
            counters.readBeforeStart += 1
            return
        }
        generator.receive(packet, from: engine, now: now(), wireSize: bytes.count)
        step()
    }

    /// A TCP connection to the engine closed or failed during the trial.
    func connectionLost(_ engine: Endpoint, _ reason: String) {
        guard running else { return }
        stop(failure: Failure(description: "TCP connection to the engine transport at \(engine) lost during the trial: \(reason)"))
    }

    /// Runs the generator now: something outside a timer or a datagram changed it (a control
    /// call answered on the loop). On the loop.
    func wake() {
        step()
    }

    private func step() {
        guard running, let generator else { return }
        let now = now()
        generator.handleTimeout(now: now)
        write(generator.takeTransmits())
        if now >= generator.end {
            stop(failure: nil)
            return
        }
        let next = min(generator.nextDeadline() ?? generator.end, generator.end)
        if let timerAt, timer != nil, timerAt <= next { return }
        timer?.cancel()
        timerAt = next
        timer = loop.scheduleTask(deadline: origin + .nanoseconds(max(next.nanoseconds, 0))) {
            if let due = self.timerAt { self.timerLag.record(from: due, to: self.now()) }
            self.timer = nil
            self.timerAt = nil
            self.step()
        }
    }

    private func stop(failure: (any Error)?) {
        running = false
        timer?.cancel()
        timer = nil
        if let failure { finished?.fail(failure) } else { finished?.succeed() }
        finished = nil
    }

    private func write(_ transmits: [LiveLoadGenerator.Transmit]) {
        guard !transmits.isEmpty else { return }
        var touched: [ObjectIdentifier: any Channel] = [:]
        for transmit in transmits {
            guard let socket = sockets[transmit.to] else {
                counters.unroutable += 1
                continue
            }
            var bytes = transmit.bytes
            if let security = securities[transmit.to] {
                let isRTCP = bytes.count >= 2 && (192...223).contains(bytes[1])
                guard let protected = security.protect(bytes, rtcp: isRTCP) else {
                    counters.unprotected += 1
                    continue
                }
                bytes = protected
            }
            let channel = socket.channel
            let promise = loop.makePromise(of: Void.self)
            promise.futureResult.whenFailure { _ in self.counters.writeFailures += 1 }
            if let remote = socket.remote {
                let data = channel.allocator.buffer(bytes: bytes)
                channel.write(AddressedEnvelope(remoteAddress: remote, data: data), promise: promise)
            } else if let framed = RFC4571FrameDecoder.frame(bytes, allocator: channel.allocator) {
                channel.write(framed, promise: promise)
            } else {
                counters.oversize += 1
                promise.succeed()
                continue
            }
            touched[ObjectIdentifier(channel)] = channel
        }
        for channel in touched.values { channel.flush() }
    }

    static func dotted(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}

/// Hands a value to another thread that will be its only user from then on.
struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value
}

/// Delivers datagrams from one UDP socket to the driver.
private final class DatagramReceiver: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let driver: LiveDriver
    private let engine: Endpoint

    init(driver: LiveDriver, engine: Endpoint) {
        self.driver = driver
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        driver.received(Array(envelope.data.readableBytesView), from: engine)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like on a datagram socket: nothing to do but go on.
    }
}

/// Delivers RFC 4571 packets from one TCP connection to the driver.
private final class FrameReceiver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let driver: LiveDriver
    private let engine: Endpoint

    init(driver: LiveDriver, engine: Endpoint) {
        self.driver = driver
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        driver.received(Array(unwrapInboundIn(data).readableBytesView), from: engine)
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.connectionLost(engine, "closed by the engine")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.connectionLost(engine, "\(error)")
        context.close(promise: nil)
    }
}
