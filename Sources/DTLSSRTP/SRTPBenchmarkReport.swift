/// What `sfulab bench srtp` reports for one SRTP profile.
public struct SRTPBenchmarkReport: Codable, Sendable {
    /// The SRTP backend measured: "libsrtp2" or "openssl".
    public var backend: String
    /// mediasoup's name of the profile, e.g. "AEAD_AES_128_GCM".
    public var suite: String
    /// RTP packet size before protection, header included.
    public var packetSize: Int
    /// Packets in each measured run.
    public var packets: Int
    /// Measured runs; times come from the median run (by protect + unprotect time).
    public var repetitions: Int
    /// Nanoseconds per protectRTP call.
    public var nanosecondsPerProtect: Double
    /// Nanoseconds per unprotectRTP call.
    public var nanosecondsPerUnprotect: Double
    /// Heap allocations per packet (protect + unprotect) over all runs; nil if not counted.
    public var allocationsPerPacket: Double?
    /// Microseconds for one in-memory DTLS 1.2 handshake negotiating this suite (both sides; median).
    public var handshakeMicroseconds: Double
    /// "debug" or "release".
    public var build: String
    /// The backend library's version string ("libsrtp2 2.5.0", "OpenSSL 3.0.…").
    public var library: String

    /// A report from measured runs (at least one).
    public init(profile: SRTPProfile, backend: SRTPBackend = .libsrtp2, packetSize: Int, runs: [SRTPBenchmark.Run], allocations: Int?,
                handshakeNanoseconds: Int64, build: String) {
        let median = runs.sorted { $0.protectNanoseconds + $0.unprotectNanoseconds < $1.protectNanoseconds + $1.unprotectNanoseconds }[runs.count / 2]
        let packets = max(1, median.packets)
        self.backend = backend.rawValue
        suite = profile.rawValue
        self.packetSize = packetSize
        self.packets = median.packets
        repetitions = runs.count
        nanosecondsPerProtect = Double(median.protectNanoseconds) / Double(packets)
        nanosecondsPerUnprotect = Double(median.unprotectNanoseconds) / Double(packets)
        allocationsPerPacket = allocations.map { Double($0) / Double(max(1, runs.reduce(0) { $0 + $1.packets })) }
        handshakeMicroseconds = Double(handshakeNanoseconds) / 1_000
        self.build = build
        library = backend.libraryVersion
    }
}
