#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import CAllocationCounter
import Engine
import Foundation

/// `sfulab bench`: micro-benchmarks of the engine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine: per forwarded packet in the core (forward) and on real sockets (live); SRTP per packet (srtp).",
        subcommands: [Forward.self, Live.self, SRTP.self])

    /// `sfulab bench forward`: the forwarding hot path, no I/O (see `ForwardBenchmark`).
    struct Forward: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forward",
            abstract: "Forward pre-built VP8 packets from one publisher to N consumers and time it.",
            discussion: """
                Warms the engine up (pools, arenas, retransmission buffers and NACK state reach \
                steady state), then feeds --packets packets, draining poll() after each and running \
                handleTimeout when nextDeadline() is due. Heap allocations are counted on this \
                thread by an interposed malloc; allocationsPerPacket leaves out handleTimeout \
                (periodic RTCP and allocation work), which is reported as timeoutAllocations. The \
                same packets are also fed, interleaved run by run, to a producer without consumers: \
                ingressNanosecondsPerPacket, and marginalNanosecondsPerConsumerCopy = \
                (nanosecondsPerPacket - ingress) / consumers. Only release builds give meaningful \
                times: swift build -c release.
                """)

        @Option(help: "Subscribers, each on its own transport (0...10000; 0 measures the ingress alone).")
        var consumers: Int = 1

        @Option(help: "Packets fed in each measured run.")
        var packets: Int = 20_000

        @Option(help: "Measured runs; times are the median run's.")
        var repetitions: Int = 3

        @Option(help: "Packets fed before measuring (default: enough for every pool and buffer to reach its steady size).")
        var warmUp: Int?

        @Flag(help: "Publish 3-layer simulcast (1, 2 and 4 packets per frame); consumers take the top layer.")
        var simulcast = false

        @Flag(help: "Never call handleTimeout: measure the per-packet path alone.")
        var noTimers = false

        @Flag(help: "Skip the zero-consumer run that measures the ingress cost.")
        var noIngress = false

        @Flag(help: "Print JSON on stdout.")
        var json = false

        func validate() throws {
            guard (0...10_000).contains(consumers) else { throw ValidationError("--consumers must be 0...10000, got \(consumers)") }
            guard packets >= 1 else { throw ValidationError("--packets must be at least 1, got \(packets)") }
            guard (1...100).contains(repetitions) else { throw ValidationError("--repetitions must be 1...100, got \(repetitions)") }
            if let warmUp, warmUp < 0 { throw ValidationError("--warm-up must not be negative, got \(warmUp)") }
        }

        /// One measured run of a workload.
        typealias Run = (totals: ForwardBenchmark.Totals, nanoseconds: Int64, cpuNanoseconds: Int64, allocations: Int?)

        func run() throws {
            let configuration = ForwardBenchmark.Configuration(consumers: consumers, simulcast: simulcast,
                                                               drivesTimers: !noTimers)
            // The same packet stream into a producer without consumers: the fixed ingress cost
            // (the measured workload itself when it has no consumers).
            var ingressConfiguration = configuration
            ingressConfiguration.consumers = 0
            let workload: ForwardBenchmark
            let ingressWorkload: ForwardBenchmark?
            do {
                workload = try ForwardBenchmark(configuration)
                ingressWorkload = noIngress || consumers == 0 ? nil : try ForwardBenchmark(ingressConfiguration)
            } catch {
                throw ValidationError("cannot set up the benchmark: \(error)")
            }
            let warmUpPackets = warmUp ?? workload.warmUpPackets
            workload.warmUp(packets: warmUpPackets)
            if let ingressWorkload { ingressWorkload.warmUp(packets: warmUp ?? ingressWorkload.warmUpPackets) }

            let counting = Self.allocationCounterWorks()
            var runs: [Run] = []
            var ingressRuns: [Run] = []
            runs.reserveCapacity(repetitions)
            ingressRuns.reserveCapacity(repetitions)
            // Interleaved, so that a load change on a shared machine disturbs both alike.
            for _ in 0..<repetitions {
                runs.append(Self.measure(workload, packets: packets, counting: counting))
                if let ingressWorkload { ingressRuns.append(Self.measure(ingressWorkload, packets: packets, counting: counting)) }
            }
            // Times from the median run (shared machines are noisy); allocations from all runs,
            // so that one allocation anywhere shows.
            let median = runs.sorted { $0.nanoseconds < $1.nanoseconds }[runs.count / 2]
            let allPackets = runs.reduce(0) { $0 + $1.totals.packets }
            let allTimeoutAllocations = runs.reduce(0) { $0 + $1.totals.timeoutAllocations }
            let allAllocations: Int? = counting ? runs.reduce(0) { $0 + ($1.allocations ?? 0) } : nil
            #if DEBUG
            let build = "debug"
            #else
            let build = "release"
            #endif
            var report = ForwardBenchmarkReport(
                configuration: configuration, totals: median.totals, warmUpPackets: warmUpPackets,
                elapsedNanoseconds: median.nanoseconds, allocations: median.allocations, build: build,
                allocationCounter: counting ? "interposed malloc/calloc/realloc/memalign, calling thread" : "unavailable")
            report.repetitions = repetitions
            report.cpuNanosecondsPerPacket = Double(median.cpuNanoseconds) / Double(max(1, median.totals.packets))
            if median.totals.consumerCopies > 0 {
                report.cpuNanosecondsPerConsumerCopy = Double(median.cpuNanoseconds) / Double(median.totals.consumerCopies)
            }
            if let allAllocations {
                report.allocations = allAllocations - allTimeoutAllocations
                report.timeoutAllocations = allTimeoutAllocations
                report.allocationsPerPacket = Double(allAllocations - allTimeoutAllocations) / Double(allPackets)
            }
            if consumers == 0 { ingressRuns = runs }
            if !ingressRuns.isEmpty {
                let ingressMedian = ingressRuns.sorted { $0.nanoseconds < $1.nanoseconds }[ingressRuns.count / 2]
                let ingressPackets = Double(max(1, ingressMedian.totals.packets))
                let ingressAllocations: Double? = counting
                    ? Double(ingressRuns.reduce(0) { $0 + ($1.allocations ?? 0) - $1.totals.timeoutAllocations })
                        / Double(max(1, ingressRuns.reduce(0) { $0 + $1.totals.packets }))
                    : nil
                report.setIngress(nanosecondsPerPacket: Double(ingressMedian.nanoseconds) / ingressPackets,
                                  cpuNanosecondsPerPacket: Double(ingressMedian.cpuNanoseconds) / ingressPackets,
                                  allocationsPerPacket: ingressAllocations)
            }

            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print("bench forward: 1 publisher (\(simulcast ? "3-layer simulcast" : "VP8")) -> \(consumers) consumers, "
                    + "\(report.packets) packets after \(warmUpPackets) warm-up, \(build) build, median of \(repetitions)")
                let perCopy = report.consumerCopies == 0 ? ""
                    : ", \(String(format: "%.1f", report.nanosecondsPerConsumerCopy ?? 0)) ns per consumer copy (\(report.consumerCopies) copies)"
                let cpuPerCopy = report.consumerCopies == 0 ? ""
                    : ", \(String(format: "%.1f", report.cpuNanosecondsPerConsumerCopy ?? 0)) ns per copy"
                print("  \(String(format: "%.1f", report.nanosecondsPerPacket)) ns per packet\(perCopy)")
                print("  thread CPU time: \(String(format: "%.1f", report.cpuNanosecondsPerPacket ?? 0)) ns per packet\(cpuPerCopy)")
                if let ingress = report.ingressNanosecondsPerPacket {
                    print("  ingress (same packets, no consumers): \(String(format: "%.1f", ingress)) ns per packet "
                        + "(CPU \(String(format: "%.1f", report.cpuIngressNanosecondsPerPacket ?? 0)))")
                }
                if let marginal = report.marginalNanosecondsPerConsumerCopy {
                    print("  marginal: \(String(format: "%.1f", marginal)) ns per consumer copy "
                        + "(CPU \(String(format: "%.1f", report.cpuMarginalNanosecondsPerConsumerCopy ?? 0)))")
                }
                if let perPacket = report.allocationsPerPacket, let timers = report.timeoutAllocations {
                    print("  \(String(format: "%.4f", perPacket)) heap allocations per packet over all \(repetitions) runs; "
                        + "\(timers) more in handleTimeout (\(report.timeouts) calls per run)")
                } else {
                    print("  heap allocations: not counted (no allocation counter on this platform)")
                }
                if build == "debug" { print("  note: debug build; benchmark with swift build -c release") }
            }
        }

        /// Runs `packets` packets of `workload`, timed (wall clock and thread CPU) and counted.
        static func measure(_ workload: ForwardBenchmark, packets: Int, counting: Bool) -> Run {
            let clock = ContinuousClock()
            if counting { sfulab_allocation_counter_start() }
            let started = clock.now
            let cpuStarted = threadCPUNanoseconds()
            let totals = workload.run(packets: packets,
                                      allocationReader: counting ? { sfulab_allocation_counter_read().allocations } : nil)
            let cpu = threadCPUNanoseconds() - cpuStarted
            let elapsed = clock.now - started
            let allocations = counting ? Int(sfulab_allocation_counter_stop().allocations) : nil
            return (totals, elapsed.nanoseconds, cpu, allocations)
        }

        /// CPU time consumed by the calling thread, in nanoseconds.
        static func threadCPUNanoseconds() -> Int64 {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
        }

        /// Whether the interposed allocator counts on this thread: an array built here must count.
        static func allocationCounterWorks() -> Bool {
            guard sfulab_allocation_counter_is_supported() else { return false }
            sfulab_allocation_counter_start()
            let probe = [UInt8](repeating: 1, count: Int.random(in: 64...128))
            let counted = sfulab_allocation_counter_stop().allocations
            return counted >= 1 && probe.count >= 64
        }
    }
}
