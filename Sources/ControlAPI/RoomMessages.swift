/// Percentiles of one stage of engine latency (ingress to egress of forwarded packets), measured
/// by the server with the monotonic clock.
public struct StageLatency: Codable, Sendable, Hashable {
    /// `receive`, `decrypt`, `route`, `encrypt`, `send` or `total` (DESIGN.md, Metrics).
    public var stage: String
    public var count: Int
    public var p50Micros: Double
    public var p90Micros: Double
    public var p95Micros: Double
    public var p99Micros: Double
    public var maxMicros: Double

    public init(stage: String, count: Int, p50Micros: Double, p90Micros: Double, p95Micros: Double, p99Micros: Double, maxMicros: Double) {
        self.stage = stage
        self.count = count
        self.p50Micros = p50Micros
        self.p90Micros = p90Micros
        self.p95Micros = p95Micros
        self.p99Micros = p99Micros
        self.maxMicros = maxMicros
    }
}

/// `GET /rooms/{room}/stats`: what the room's engine did, with its drop counters by reason and
/// the engine latency by stage.
public struct RoomStats: Codable, Sendable, Hashable {
    public var room: String
    public var worker: Int
    public var transports: Int
    public var producers: Int
    public var consumers: Int
    public var datagramsReceived: Int
    public var packetsForwarded: Int
    public var retransmissionsSent: Int
    /// Every engine counter by name (`EngineCounters.named`: NACKs received and sent, key-frame
    /// requests received and sent, probe packets and bytes, padding, RTX, RTCP...); trial results
    /// carry each as `engine.<name>` in both run modes. Absent from servers that predate it.
    public var counters: [String: Int]?
    /// Drops by `DropReason` name.
    public var drops: [String: Int]
    public var engineLatency: [StageLatency]
    /// Engine CPU time (thread time of the worker spent inside the engine) per forwarded packet copy.
    public var cpuNanosecondsPerForwardedPacket: Double?
    /// The room's open taps and how many were closed because their receiver went away (frames a
    /// full tap queue dropped are also in `drops` as `tapQueueFull`); nil from servers without taps.
    public var taps: TapList?

    public init(room: String, worker: Int, transports: Int, producers: Int, consumers: Int, datagramsReceived: Int,
                packetsForwarded: Int, retransmissionsSent: Int, counters: [String: Int]? = nil, drops: [String: Int],
                engineLatency: [StageLatency], cpuNanosecondsPerForwardedPacket: Double?, taps: TapList? = nil) {
        self.room = room
        self.worker = worker
        self.transports = transports
        self.producers = producers
        self.consumers = consumers
        self.datagramsReceived = datagramsReceived
        self.packetsForwarded = packetsForwarded
        self.retransmissionsSent = retransmissionsSent
        self.counters = counters
        self.drops = drops
        self.engineLatency = engineLatency
        self.cpuNanosecondsPerForwardedPacket = cpuNanosecondsPerForwardedPacket
        self.taps = taps
    }
}

/// Every error response: HTTP 400 (bad body: names the field and the fix), 404 (unknown room,
/// transport, producer or consumer), 405, 409 (conflict, e.g. SSRC in use) or 500.
public struct ErrorResponse: Codable, Sendable, Hashable, Error {
    /// Machine-readable: `badRequest`, `notFound`, `methodNotAllowed`, `conflict`, `internal`.
    public var code: String
    /// Human-readable, says what to fix.
    public var error: String

    public init(code: String, error: String) {
        self.code = code
        self.error = error
    }
}
