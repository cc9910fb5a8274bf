import CoreMetrics
import ControlAPI
import DTLSSRTP
import Engine
import Logging
import NIOCore
import RTP

/// One room: one `Engine` and the sockets of its transports, all confined to one worker event
/// loop (`loop`). Every method must run on that loop; the server hops there before calling.
///
/// Data path (docs/engine-server.md): a socket read hands the datagram to `receive`, which feeds
/// the engine, drains `poll()` (transmits are copied into the right socket's buffers, events are
/// logged), flushes the sockets it wrote to, records the latency stages of forwarded packets, and
/// schedules `handleTimeout` at the engine's next deadline.
final class Room: @unchecked Sendable {
    let name: String
    /// Index of the worker (event loop) that runs the room.
    let worker: Int
    let loop: any EventLoop
    let engine: Engine
    /// Monotonic clock reading (ns) that engine instant zero stands for.
    let origin: UInt64
    let metrics: ServerMetrics
    let logger: Logger

    var transports: [Int: RoomTransport] = [:]
    /// Transports by the port of their engine label (`Transmit.from`).
    var transportsByLabelPort: [UInt16: RoomTransport] = [:]
    /// Transports created with `comedia: false` that have not been connected yet: what arrives
    /// there is dropped (`notConnected`) until `connect` names the remote.
    var awaitingConnect: Set<Int> = []
    private var timer: Scheduled<Void>?
    private var timerDeadline: Instant?
    var latency = StageLatencyRecorder()
    /// Thread CPU time spent inside the engine's input calls (`handleDatagram`, `handleTimeout`), ns.
    var engineCPUNanoseconds: UInt64 = 0
    /// By `ServerDropReason` index.
    var serverDrops = [Int](repeating: 0, count: ServerDropReason.allCases.count)
    private var metricsCursor = RoomMetricsCursor()
    private var touched: [RoomTransport] = []
    private var sendStamps: [UInt64] = []
    private(set) var isClosed = false
    /// Open taps, in creation order (Room+Taps).
    var taps: [RoomTap] = []
    var nextTapID = 0
    /// Taps closed because their receiver went away.
    var tapsClosedUnreachable = 0
    /// When the datagram being handled was read (tap frames carry it).
    var currentReadAt: UInt64 = 0
    /// The DTLS context of webrtc transports, or why there is none (Room+WebRTC).
    let dtls: Result<DTLSContext, DTLSError>
    /// Draws webrtc transports' ICE credentials and tie-breakers.
    var random: SeededGenerator
    /// Webrtc transports, for their timers.
    var secureTransports: [RoomTransport] = []
    /// The earliest of `secureTransports`' cached deadlines, valid while
    /// `securityDeadlinesChanged` is false (Room+WebRTC.swift).
    var earliestSecurityDeadline: Instant?
    var securityDeadlinesChanged = false
    /// A received webrtc datagram, copied to be decrypted in place.
    var scratch = [UInt8](repeating: 0, count: 2_048)

    init(name: String, worker: Int, loop: any EventLoop, engine: Engine, origin: UInt64, metrics: ServerMetrics, logger: Logger,
         dtls: Result<DTLSContext, DTLSError>, random: SeededGenerator) {
        self.dtls = dtls
        self.random = random
        self.name = name
        self.worker = worker
        self.loop = loop
        self.engine = engine
        self.origin = origin
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "room"] = .string(name)
        self.logger = logger
        touched.reserveCapacity(16)
        sendStamps.reserveCapacity(256)
    }

    /// The engine instant for a monotonic clock reading.
    @inline(__always)
    func instant(_ monotonic: UInt64) -> Instant { Instant(nanoseconds: Int64(monotonic &- origin)) }

    // MARK: Data path

    /// A datagram (or RFC 4571 frame) `transport` received from `peer`, read at `readAt`.
    func receive(_ buffer: ByteBuffer, from peer: Endpoint, on transport: RoomTransport, readAt: UInt64) {
        guard !isClosed else { return }
        transport.bytesReceived += buffer.readableBytes
        if let security = transport.security {
            receiveSecure(buffer, from: peer, on: transport, security: security, readAt: readAt)
            return
        }
        if awaitingConnect.contains(transport.id.rawValue) {
            drop(.notConnected)
            return
        }
        let inputAt = MonotonicClock.now()
        currentReadAt = readAt
        let cpuStart = MonotonicClock.threadCPU()
        let isMedia = buffer.withUnsafeReadableBytes { bytes in
            engine.handleDatagram(from: peer, to: transport.label, bytes: bytes, now: instant(inputAt))
            return RTPDemux.isRTPOrRTCP(bytes) && !RTPDemux.isRTCP(bytes)
        }
        engineCPUNanoseconds &+= MonotonicClock.threadCPU() &- cpuStart
        drain(readAt: isMedia ? readAt : nil, inputAt: inputAt)
        if !taps.isEmpty { flushTaps() }
        rescheduleTimer()
    }

    /// A TCP transport accepted a connection: with comedia, its peer becomes the transport's
    /// remote if it has none yet (docs/control-api.md).
    func tcpConnected(_ transport: RoomTransport, peer: Endpoint) {
        guard !isClosed, transport.security == nil, !awaitingConnect.contains(transport.id.rawValue),
              (try? engine.remote(of: transport.id)) == .some(nil) else { return }
        try? engine.connectTransport(transport.id, remote: peer)
    }

    /// A datagram the server dropped before the engine saw it, or could not send.
    func drop(_ reason: ServerDropReason) {
        serverDrops[ServerDropReason.allCases.firstIndex(of: reason)!] += 1
    }

    /// Drains the engine's output: transmits to sockets, events to the log. With `readAt` (the
    /// input was a media packet), the RTP transmits are forwarded packets and their latency
    /// stages are recorded; `decryptAt` is when a webrtc transport started decrypting it.
    func drain(readAt: UInt64?, inputAt: UInt64, decryptAt: UInt64? = nil) {
        sendStamps.removeAll(keepingCapacity: true)
        while let output = engine.poll() {
            switch output {
            case .transmit(let transmit):
                guard let transport = transportsByLabelPort[transmit.from.port] else {
                    drop(.socketError)
                    continue
                }
                let wasPending = transport.needsFlush
                let isRTCP = RTPDemux.isRTCP(transmit.bytes)
                let polledAt = readAt != nil && !isRTCP ? MonotonicClock.now() : 0
                if let security = transport.security {
                    let (reason, securityDropped) = transport.writeProtected(transmit.bytes, security: security, rtcp: isRTCP)
                    if let reason { drop(reason) }
                    if reason != nil || securityDropped { continue }
                } else if let reason = transport.write(transmit.bytes, to: transmit.to) {
                    drop(reason)
                    continue
                }
                if !wasPending { touched.append(transport) }
                if let readAt, !isRTCP {
                    let stamp = transport.security == nil ? polledAt : MonotonicClock.now()
                    let receivedAt = decryptAt ?? inputAt
                    record(.route, polledAt &- inputAt)
                    record(.receive, receivedAt &- readAt)
                    if let decryptAt { record(.decrypt, inputAt &- decryptAt) }
                    if transport.security != nil { record(.encrypt, stamp &- polledAt) }
                    sendStamps.append(stamp)
                }
            case .event(let event):
                logger.debug("engine event", metadata: ["event": .string(String(describing: event))])
            }
        }
        for transport in touched { transport.flush() }
        touched.removeAll(keepingCapacity: true)
        guard let readAt, !sendStamps.isEmpty else { return }
        let flushedAt = MonotonicClock.now()
        for stamp in sendStamps {
            latency.record(.send, nanoseconds: flushedAt &- stamp)
            latency.record(.total, nanoseconds: flushedAt &- readAt)
            metrics.latency[StageLatencyRecorder.Stage.send.rawValue].recordNanoseconds(Int64(flushedAt &- stamp))
            metrics.latency[StageLatencyRecorder.Stage.total.rawValue].recordNanoseconds(Int64(flushedAt &- readAt))
        }
    }

    private func record(_ stage: StageLatencyRecorder.Stage, _ nanoseconds: UInt64) {
        latency.record(stage, nanoseconds: nanoseconds)
        metrics.latency[stage.rawValue].recordNanoseconds(Int64(nanoseconds))
    }

    /// After a control call changed the engine: drain what it queued and re-arm the timer.
    func afterControl() {
        drain(readAt: nil, inputAt: MonotonicClock.now())
        rescheduleTimer()
    }

    // MARK: Timers

    /// Arms the timer for `engine.nextDeadline()`. An armed timer that fires no later is kept (a
    /// timer that fires early only costs one `handleTimeout` that finds nothing due).
    func rescheduleTimer() {
        guard !isClosed, let deadline = earliest(engine.nextDeadline(), securityDeadline()) else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if timer != nil, let armed = timerDeadline, armed <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        let at = NIODeadline.uptimeNanoseconds(origin &+ UInt64(max(0, deadline.nanoseconds)))
        timer = loop.scheduleTask(deadline: at) { [self] in fireTimer() }
    }

    private func fireTimer() {
        timer = nil
        timerDeadline = nil
        guard !isClosed else { return }
        let start = MonotonicClock.now()
        let cpuStart = MonotonicClock.threadCPU()
        engine.handleTimeout(now: instant(start))
        engineCPUNanoseconds &+= MonotonicClock.threadCPU() &- cpuStart
        drain(readAt: nil, inputAt: start)
        securityTimeouts(now: instant(start))
        rescheduleTimer()
    }

    // MARK: Metrics and closing

    /// Adds what the engine counted since the last call to the server's metrics.
    func publishMetrics() {
        metricsCursor.publish(engine.counters, serverDrops: serverDrops, engineCPUNanoseconds: engineCPUNanoseconds, to: metrics)
    }

    /// Closes every socket and stops the timer; the engine is left as it is.
    func close() -> EventLoopFuture<Void> {
        guard !isClosed else { return loop.makeSucceededVoidFuture() }
        isClosed = true
        timer?.cancel()
        timer = nil
        publishMetrics()
        metrics.transports.decrement(by: Double(transports.count))
        closeSecurity()
        let closing = transports.values.compactMap { $0.close() } + closeAllTaps()
        transports.removeAll()
        transportsByLabelPort.removeAll()
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }
}
