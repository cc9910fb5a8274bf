import ArgumentParser
import CAllocationCounter
import DTLSSRTP
import Foundation

extension BenchCommand {
    /// `sfulab bench srtp`: SRTP protect/unprotect cost per suite and backend (`SRTPBenchmark`).
    struct SRTP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "srtp",
            abstract: "Time SRTP protect and unprotect per packet for each crypto suite and backend (libsrtp2, OpenSSL).",
            discussion: """
                For each backend and suite, protects --packets RTP packets of --size bytes in place (in batches of \
                256), then unprotects them, timing both phases; heap allocations are counted on this \
                thread by an interposed malloc. Also times in-memory DTLS 1.2 handshakes per suite (median of --repetitions). \
                Only release builds give meaningful times: swift build -c release.
                """)

        @Option(help: "Suite to measure (repeatable): \(SRTPProfile.allCases.map(\.rawValue).joined(separator: ", ")). Default: all.")
        var suite: [String] = []

        @Option(help: "SRTP backend to measure: \(SRTPBackend.allCases.map(\.rawValue).joined(separator: ", ")) or all.")
        var backend = "all"

        @Option(help: "RTP packet size in bytes before protection, header included (12...1400).")
        var size = 1200

        @Option(help: "Packets in each measured run.")
        var packets = 20_000

        @Option(help: "Measured runs per suite; times are the median run's.")
        var repetitions = 3

        @Flag(help: "Print JSON on stdout.")
        var json = false

        func validate() throws {
            for name in suite where SRTPProfile(rawValue: name) == nil {
                throw ValidationError("unknown --suite '\(name)': use one of \(SRTPProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard backend == "all" || SRTPBackend(rawValue: backend) != nil else {
                throw ValidationError("unknown --backend '\(backend)': use \(SRTPBackend.allCases.map(\.rawValue).joined(separator: ", ")) or all")
            }
            guard (12...1400).contains(size) else { throw ValidationError("--size must be 12...1400, got \(size)") }
            guard packets >= 1 else { throw ValidationError("--packets must be at least 1, got \(packets)") }
            guard (1...100).contains(repetitions) else { throw ValidationError("--repetitions must be 1...100, got \(repetitions)") }
        }

        func run() throws {
            #if DEBUG
            let build = "debug"
            #else
            let build = "release"
            #endif
            let profiles = suite.isEmpty ? SRTPProfile.allCases : suite.compactMap(SRTPProfile.init(rawValue:))
            let certificates = (try DTLSCertificate.shared(), try DTLSCertificate.generate(commonName: "sfulab-bench-peer"))
            let counting = Forward.allocationCounterWorks()
            let backends = SRTPBackend(rawValue: backend).map { [$0] } ?? SRTPBackend.allCases
            var reports: [SRTPBenchmarkReport] = []
            for profile in profiles {
                // One handshake timing per suite: the backend does not take part in DTLS.
                let handshakes = try (0..<repetitions).map { _ in
                    try SRTPBenchmark.handshakeNanoseconds(profile: profile, certificates: certificates)
                }
                let handshake = handshakes.sorted()[handshakes.count / 2]
                for backend in backends {
                    let benchmark = try SRTPBenchmark(profile: profile, packetSize: size, backend: backend)
                    benchmark.warmUp()
                    var runs: [SRTPBenchmark.Run] = []
                    runs.reserveCapacity(repetitions)  // appending inside the counted span must not allocate
                    var allocations = 0
                    for _ in 0..<repetitions {
                        if counting { sfulab_allocation_counter_start() }
                        runs.append(try benchmark.measure(packets: packets))
                        if counting { allocations += Int(sfulab_allocation_counter_stop().allocations) }
                    }
                    reports.append(SRTPBenchmarkReport(profile: profile, backend: backend, packetSize: size, runs: runs,
                                                       allocations: counting ? allocations : nil,
                                                       handshakeNanoseconds: handshake, build: build))
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(reports), as: UTF8.self))
                return
            }
            print("bench srtp: \(size)-byte RTP packets, \(packets) per run, median of \(repetitions), \(build) build, "
                + backends.map(\.libraryVersion).joined(separator: ", "))
            for report in reports {
                let allocations = report.allocationsPerPacket.map { String(format: "%.3f", $0) } ?? "not counted"
                print("  \(report.backend.padding(toLength: 9, withPad: " ", startingAt: 0)) \(report.suite.padding(toLength: 24, withPad: " ", startingAt: 0)) "
                    + "protect \(String(format: "%7.0f", report.nanosecondsPerProtect)) ns, "
                    + "unprotect \(String(format: "%7.0f", report.nanosecondsPerUnprotect)) ns, "
                    + "allocations/packet \(allocations), handshake \(String(format: "%.0f", report.handshakeMicroseconds)) µs")
            }
            if build == "debug" { print("  note: debug build; benchmark with swift build -c release") }
        }
    }
}
