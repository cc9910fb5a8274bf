/// What `sfulab bench forward` prints: one measured run of a `ForwardBenchmark`.
public struct ForwardBenchmarkReport: Codable, Sendable, Hashable {
    /// Subscribers (one consumer and transport each).
    public var consumers: Int
    /// Whether the publisher sent 3-layer simulcast.
    public var simulcast: Bool
    /// Whether the loop called `handleTimeout` when due.
    public var timers: Bool
    /// Media packets fed to the engine in the measured loop.
    public var packets: Int
    /// Rewritten copies the engine queued for consumers in the measured loop.
    public var consumerCopies: Int
    /// `handleTimeout` calls in the measured loop.
    public var timeouts: Int
    /// Wall-clock nanoseconds per input packet (handleDatagram, poll drain, timers).
    public var nanosecondsPerPacket: Double
    /// Wall-clock nanoseconds per consumer copy (total time / copies); nil when the run made no
    /// copies (`--consumers 0`), where there is nothing to divide by.
    public var nanosecondsPerConsumerCopy: Double?
    /// CPU time of the measuring thread per input packet (same run as the wall-clock figures);
    /// steadier than wall clock on a loaded machine. Nil where not measured.
    public var cpuNanosecondsPerPacket: Double?
    /// CPU time of the measuring thread per consumer copy; nil without copies.
    public var cpuNanosecondsPerConsumerCopy: Double?
    /// Wall-clock nanoseconds per input packet of the same packet stream into a producer with no
    /// consumers (the same median-of-repetitions rule): the fixed receive-side work every packet
    /// costs before any copy. Nil when not measured.
    public var ingressNanosecondsPerPacket: Double?
    /// (`nanosecondsPerPacket` − `ingressNanosecondsPerPacket`) / `consumers`: what one more
    /// consumer adds per input packet (wall clock). Nil when the ingress was not measured.
    public var marginalNanosecondsPerConsumerCopy: Double?
    /// Thread CPU time per input packet with no consumers.
    public var cpuIngressNanosecondsPerPacket: Double?
    /// (`cpuNanosecondsPerPacket` − `cpuIngressNanosecondsPerPacket`) / `consumers`.
    public var cpuMarginalNanosecondsPerConsumerCopy: Double?
    /// Heap allocations per input packet outside `handleTimeout` with no consumers, over all runs.
    public var ingressAllocationsPerPacket: Double?
    /// Heap allocations per input packet outside `handleTimeout` (handleDatagram, poll drain,
    /// nextDeadline); nil when no allocation counter was available. `sfulab bench forward`
    /// counts over all its measured runs.
    public var allocationsPerPacket: Double?
    /// Heap allocations counted outside `handleTimeout` (the numerator of `allocationsPerPacket`).
    public var allocations: Int?
    /// Heap allocations counted inside `handleTimeout` and its drain (periodic RTCP reports,
    /// bitrate allocation), not per packet.
    public var timeoutAllocations: Int?
    /// Measured runs: times are from the median run, allocation counts from all of them.
    public var repetitions = 1
    /// Packets fed before measuring (pools, arenas and buffers reach steady state).
    public var warmUpPackets: Int
    /// `debug` or `release`: only release figures mean anything.
    public var build: String
    /// How allocations were counted.
    public var allocationCounter: String

    /// Builds a report from the totals of a measured run.
    /// - Parameters:
    ///   - totals: what `ForwardBenchmark.run` returned for the measured loop.
    ///   - elapsedNanoseconds: wall-clock time of that loop.
    ///   - allocations: allocations counted during the loop (timer work included), nil if not counted.
    public init(configuration: ForwardBenchmark.Configuration, totals: ForwardBenchmark.Totals, warmUpPackets: Int,
                elapsedNanoseconds: Int64, allocations: Int?, build: String, allocationCounter: String) {
        consumers = configuration.consumers
        simulcast = configuration.simulcast
        timers = configuration.drivesTimers
        packets = totals.packets
        consumerCopies = totals.consumerCopies
        timeouts = totals.timeouts
        nanosecondsPerPacket = Double(elapsedNanoseconds) / Double(max(1, totals.packets))
        nanosecondsPerConsumerCopy = totals.consumerCopies > 0 ? Double(elapsedNanoseconds) / Double(totals.consumerCopies) : nil
        if let allocations {
            let forwarding = allocations - totals.timeoutAllocations
            self.allocations = forwarding
            timeoutAllocations = totals.timeoutAllocations
            allocationsPerPacket = Double(forwarding) / Double(max(1, totals.packets))
        } else {
            self.allocations = nil
            timeoutAllocations = nil
            allocationsPerPacket = nil
        }
        self.warmUpPackets = warmUpPackets
        self.build = build
        self.allocationCounter = allocationCounter
    }

    /// Records the zero-consumer run of the same packet stream and derives the marginal cost of
    /// a consumer from it: (per packet − ingress) / consumers, wall clock and, when both are
    /// known, thread CPU time (nil without consumers).
    public mutating func setIngress(nanosecondsPerPacket ingress: Double, cpuNanosecondsPerPacket cpuIngress: Double?,
                                    allocationsPerPacket: Double?) {
        ingressNanosecondsPerPacket = ingress
        cpuIngressNanosecondsPerPacket = cpuIngress
        ingressAllocationsPerPacket = allocationsPerPacket
        guard consumers > 0 else { return }
        marginalNanosecondsPerConsumerCopy = (nanosecondsPerPacket - ingress) / Double(consumers)
        if let cpuIngress, let cpu = cpuNanosecondsPerPacket {
            cpuMarginalNanosecondsPerConsumerCopy = (cpu - cpuIngress) / Double(consumers)
        }
    }
}
