import ArgumentParser
import Engine
import EngineServer
import Foundation
import Harness
import Tuner

extension BenchCommand {
    /// `sfulab bench live`: the engine server on loopback against a bare UDP relay (`LiveBenchmark`).
    struct Live: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "live",
            abstract: "N participants on loopback through the engine server, then through a bare UDP relay.",
            discussion: """
                Each participant sends --rate stamped audio packets a second for --duration and \
                receives every other participant's (N x (N-1) copies), first through an in-process \
                engine server (real UDP sockets, one room, consumers made over the control API), \
                then through a relay that copies each datagram to the others with no engine (the \
                floor). Reports copies received per second, loss and one-way delay for both, and the \
                engine's latency by stage and CPU time per forwarded packet. Only release builds \
                give meaningful figures: swift build -c release.
                """)

        @Option(help: "Participants (2...50); each publishes one stream and consumes all others.")
        var participants = 5

        @Option(help: "Packets per second each participant sends (1...2000).")
        var rate = 50

        @Option(help: "How long to send, e.g. 5s, 500ms.")
        var duration = "5s"

        @Option(help: "RTP payload bytes (12...1200).")
        var payload = 160

        @Option(help: "Profile YAML for the engine (worker.count workers); the built-in baseline when absent.")
        var profile: String?

        @Flag(help: "Also tap the room into a local UDP receiver (what `sfulab record --engine` uses) and report its frames.")
        var tap = false

        @Option(help: "What the engine path's transports carry: plain (RTP) or webrtc (ICE, DTLS-SRTP handshake, then SRTP). The relay floor stays plain.")
        var security: LiveSecurity = .plain

        @Option(help: "With --security webrtc: the SRTP library of the server and the participants, libsrtp2 or openssl (overrides the profile's webRtcTransport.srtpBackend).")
        var srtpBackend: SRTPBackendName?

        @Flag(help: "Print JSON on stdout.")
        var json = false

        func validate() throws {
            guard (2...50).contains(participants) else { throw ValidationError("--participants must be 2...50, got \(participants)") }
            guard (1...2_000).contains(rate) else { throw ValidationError("--rate must be 1...2000, got \(rate)") }
            guard (12...1_200).contains(payload) else { throw ValidationError("--payload must be 12...1200, got \(payload)") }
            guard let parsed = DurationText.parse(duration), parsed > .zero, parsed <= .seconds(600) else {
                throw ValidationError("--duration: '\(duration)' is not a duration of up to 10 minutes (examples: 5s, 500ms)")
            }
            if srtpBackend != nil, security != .webrtc {
                throw ValidationError("--srtp-backend needs --security webrtc (plain transports run no SRTP)")
            }
        }

        func run() throws {
            var configuration = LiveBenchmark.Configuration()
            configuration.participants = participants
            configuration.rate = rate
            configuration.payloadBytes = payload
            configuration.duration = DurationText.parse(duration)!
            configuration.tap = tap
            configuration.webrtc = security == .webrtc
            if let profile {
                do { configuration.profile = try ExperimentLoader().loadProfile(at: profile) } catch {
                    printError(error.description)
                    throw ExitCode(2)
                }
            }
            if let srtpBackend { configuration.profile.webRtcTransport.srtpBackend = srtpBackend }
            let report = try LiveBenchmark(configuration).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print("bench live: \(participants) participants x \(rate) packets/s for \(duration), \(payload)-byte payloads, "
                + "\(report.workers) worker(s), \(report.security) transports, \(report.build) build")
            if let backend = report.srtpBackend, let library = report.srtpLibrary {
                print("  SRTP backend: \(backend) (\(library)) on the server and the participants")
            }
            if let setup = report.setupMillis, let slowest = setup.max() {
                print("  set-up (ICE + DTLS): mean \(String(format: "%.2f", setup.reduce(0, +) / Double(setup.count))) ms, "
                    + "max \(String(format: "%.2f", slowest)) ms over \(setup.count) transports")
            }
            for (name, path) in [("engine", report.engine), ("relay ", report.relay)] {
                print("  \(name): \(path.received)/\(path.expected) copies (loss \(String(format: "%.4f", path.lossRatio))), "
                    + "\(String(format: "%.0f", path.packetsPerSecond)) copies/s, one-way p50 "
                    + "\(String(format: "%.1f", path.oneWayP50Micros)) us, p99 \(String(format: "%.1f", path.oneWayP99Micros)) us")
            }
            for stage in report.engineLatency {
                print("  engine \(stage.stage): p50 \(String(format: "%.1f", stage.p50Micros)) us, p99 "
                    + "\(String(format: "%.1f", stage.p99Micros)) us (\(stage.count) packets)")
            }
            if let cpu = report.cpuNanosecondsPerForwardedPacket {
                print("  engine CPU: \(String(format: "%.0f", cpu)) ns per forwarded packet")
            }
            if let tap = report.tap {
                print("  tap: \(tap.framesSent) frames sent, \(tap.framesDropped) dropped (queue full), \(tap.framesReceived) received")
            }
            if report.build == "debug" { print("  note: debug build; benchmark with swift build -c release") }
        }
    }
}
