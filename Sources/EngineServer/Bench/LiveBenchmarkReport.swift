import ControlAPI

/// What `sfulab bench live` prints: the same meeting through the engine server and through a bare
/// UDP relay (the floor), measured by the participants.
public struct LiveBenchmarkReport: Codable, Sendable, Hashable {
    /// What one path delivered, measured at the participants.
    public struct Path: Codable, Sendable, Hashable {
        /// Packets the participants sent.
        public var sent: Int
        /// Copies expected: each packet to every other participant.
        public var expected: Int
        /// Copies the participants received.
        public var received: Int
        /// 1 - received / expected.
        public var lossRatio: Double
        /// Copies received per second of sending.
        public var packetsPerSecond: Double
        /// Publisher send to subscriber receive, microseconds.
        public var oneWayP50Micros: Double
        public var oneWayP99Micros: Double
        public var oneWayMaxMicros: Double
    }

    /// A tap of the benchmark room (`sfulab bench live --tap`).
    public struct Tap: Codable, Sendable, Hashable {
        public var framesSent: Int
        /// Dropped by the server because the tap's queue was full.
        public var framesDropped: Int
        /// Frames the local receiver got.
        public var framesReceived: Int
    }

    public var participants: Int
    public var workers: Int
    /// Packets per second each participant sends.
    public var rate: Int
    public var payloadBytes: Int
    public var durationSeconds: Double
    /// Through `sfulab serve`'s engine (in-process, real sockets).
    public var engine: Path
    /// Through the bare relay.
    public var relay: Path
    /// Engine latency by stage, from the room's stats.
    public var engineLatency: [StageLatency]
    /// Worker thread CPU time in the engine per forwarded copy (with a tap, its copies included).
    public var cpuNanosecondsPerForwardedPacket: Double?
    /// With `--tap`: what the room's tap sent, dropped, and what its receiver got.
    public var tap: Tap?
    /// `debug` or `release`: only release figures mean anything.
    public var build: String
    /// What the engine path's transports carried: `plain` or `webrtc` (ICE, DTLS, SRTP).
    public var security: String
    /// With webrtc: each participant's set-up time (first ICE check to SRTP keys), ms.
    public var setupMillis: [Double]?
    /// With webrtc: the SRTP library both sides ran (`libsrtp2` or `openssl`) and its version string.
    public var srtpBackend: String?
    public var srtpLibrary: String?
}
