import CoreMetrics
import Engine
import Prometheus

/// The server's swift-metrics instruments, backed by its own Prometheus registry (so several
/// servers in one process, as in tests, never share counters) and exported by `GET /metrics`.
///
/// Engine counters are not touched per packet: each room adds what its engine counted since the
/// last time (`RoomMetricsCursor`) when `/metrics` is scraped and when the room closes. Latency
/// stages are recorded per forwarded packet.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let datagramsReceived: CoreMetrics.Counter
    let packetsForwarded: CoreMetrics.Counter
    let retransmissionsSent: CoreMetrics.Counter
    let rtcpPacketsSent: CoreMetrics.Counter
    /// Engine drops by `DropReason`, index = raw value.
    let engineDrops: [CoreMetrics.Counter]
    /// Drops outside the engine, by `ServerDropReason`.
    let serverDrops: [CoreMetrics.Counter]
    let engineCPUSeconds: CoreMetrics.FloatingPointCounter
    let rooms: CoreMetrics.Meter
    let transports: CoreMetrics.Meter
    /// Open taps (docs/control-api.md, "Taps").
    let taps: CoreMetrics.Meter
    /// Taps closed because their receiver went away.
    let tapsClosedUnreachable: CoreMetrics.Counter
    /// By `StageLatencyRecorder.Stage`.
    let latency: [CoreMetrics.Timer]

    static let latencyLabel = "sfulab_engine_latency_seconds"

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.latencyLabel] = [
            .microseconds(5), .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100),
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(100),
        ]
        datagramsReceived = CoreMetrics.Counter(label: "sfulab_datagrams_received_total", factory: factory)
        packetsForwarded = CoreMetrics.Counter(label: "sfulab_packets_forwarded_total", factory: factory)
        retransmissionsSent = CoreMetrics.Counter(label: "sfulab_retransmissions_sent_total", factory: factory)
        rtcpPacketsSent = CoreMetrics.Counter(label: "sfulab_rtcp_packets_sent_total", factory: factory)
        engineDrops = DropReason.allCases.map {
            CoreMetrics.Counter(label: "sfulab_drops_total", dimensions: [("reason", $0.description)], factory: factory)
        }
        serverDrops = ServerDropReason.allCases.map {
            CoreMetrics.Counter(label: "sfulab_drops_total", dimensions: [("reason", $0.rawValue)], factory: factory)
        }
        engineCPUSeconds = CoreMetrics.FloatingPointCounter(label: "sfulab_engine_cpu_seconds_total", factory: factory)
        rooms = CoreMetrics.Meter(label: "sfulab_rooms", factory: factory)
        transports = CoreMetrics.Meter(label: "sfulab_transports", factory: factory)
        taps = CoreMetrics.Meter(label: "sfulab_taps", factory: factory)
        tapsClosedUnreachable = CoreMetrics.Counter(label: "sfulab_taps_closed_total", dimensions: [("reason", "unreachable")],
                                                    factory: factory)
        latency = StageLatencyRecorder.Stage.allCases.map {
            CoreMetrics.Timer(label: Self.latencyLabel, dimensions: [("stage", $0.name)], factory: factory)
        }
    }

    /// Prometheus text exposition of everything.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// Why the server (not the engine) dropped a datagram or a connection; counted in `RoomStats.drops`
/// and `sfulab_drops_total` beside the engine's `DropReason`s.
enum ServerDropReason: String, CaseIterable, Sendable {
    /// A TCP stream broke RFC 4571 framing (zero or oversize length): the connection is closed.
    case tcpFraming
    /// A datagram from a non-IPv4 peer (endpoints are IPv4).
    case unsupportedAddress
    /// A datagram to a transport created with `comedia: false` before `connect`.
    case notConnected
    /// The socket's send buffer was full.
    case sendBufferFull
    /// The engine sent to a TCP peer with no open connection.
    case noConnection
    /// A send or receive failed in the kernel.
    case socketError
    /// A tap's send queue was full: the copy for that tap was dropped (forwarding is not affected).
    case tapQueueFull
}

/// What a room's engine counters were when they were last added to the metrics.
struct RoomMetricsCursor {
    var counters = EngineCounters()
    var engineCPUNanoseconds: UInt64 = 0
    var serverDrops = [Int](repeating: 0, count: ServerDropReason.allCases.count)

    /// Adds the difference between `counters` and the cursor to `metrics`, then moves the cursor.
    mutating func publish(_ counters: EngineCounters, serverDrops: [Int], engineCPUNanoseconds: UInt64, to metrics: ServerMetrics) {
        metrics.datagramsReceived.increment(by: Int64(counters.datagramsReceived - self.counters.datagramsReceived))
        metrics.packetsForwarded.increment(by: Int64(counters.packetsForwarded - self.counters.packetsForwarded))
        metrics.retransmissionsSent.increment(by: Int64(counters.retransmissionsSent - self.counters.retransmissionsSent))
        metrics.rtcpPacketsSent.increment(by: Int64(counters.rtcpPacketsSent - self.counters.rtcpPacketsSent))
        for reason in DropReason.allCases {
            let delta = counters.dropped(reason) - self.counters.dropped(reason)
            if delta > 0 { metrics.engineDrops[reason.rawValue].increment(by: Int64(delta)) }
        }
        for index in serverDrops.indices where serverDrops[index] > self.serverDrops[index] {
            metrics.serverDrops[index].increment(by: Int64(serverDrops[index] - self.serverDrops[index]))
        }
        metrics.engineCPUSeconds.increment(by: Double(engineCPUNanoseconds - self.engineCPUNanoseconds) / 1e9)
        self.counters = counters
        self.serverDrops = serverDrops
        self.engineCPUNanoseconds = engineCPUNanoseconds
    }
}
