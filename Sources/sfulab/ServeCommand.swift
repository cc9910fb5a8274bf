#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Dispatch
import Engine
import EngineServer
import Foundation
import Logging
import Tuner

/// `sfulab serve`: the engine on real sockets with the HTTP control API (docs/engine-server.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine on real UDP/TCP sockets with the HTTP/JSON control API.",
        discussion: """
            Rooms, transports, producers and consumers are created over the control API \
            (docs/control-api.md); every room is one engine on one of the profile's worker.count \
            event loops. When ready, prints one JSON line on stdout: \
            {"event":"listening","control":"http://HOST:PORT","workers":N,"pid":P}. Logs are JSON \
            lines on stderr. SIGINT or SIGTERM closes every socket and exits 0.
            """)

    @Option(help: "Profile YAML: the engine settings of every room (worker.count is the number of worker threads).")
    var profile: String?

    @Option(help: "Environment (dev, test, prod): not implemented yet, use --profile.")
    var env: String?

    @Option(help: "IPv4 address for the control API and every transport.")
    var listen = "127.0.0.1"

    @Option(help: "Control API port; 0 picks a free one (the ready line tells which).")
    var port = 8080

    @Option(help: "Seed of the engines' random choices (SSRCs, initial sequence numbers, report timing).")
    var seed: UInt64 = 1

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical, none (default: the profile's worker.logLevel).")
    var logLevel: String?

    @Flag(help: "Exit when stdin closes or the parent process goes away (for servers started by another program).")
    var exitWithParent = false

    func validate() throws {
        if env != nil, profile != nil { throw ValidationError("give --profile or --env, not both") }
        if env == nil, profile == nil { throw ValidationError("give --profile P.yaml (for example Profiles/baseline.yaml)") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535 (0 picks a free port), got \(port)") }
        let octets = listen.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else {
            throw ValidationError("--listen must be an IPv4 address such as 127.0.0.1, got '\(listen)'")
        }
        if let logLevel, JSONLogHandler.level(named: logLevel) == nil {
            throw ValidationError("--log-level: '\(logLevel)' is not one of \(JSONLogHandler.levelNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        if let env {
            printError("error: --env \(env): environments (dev/test/prod configs) are not implemented yet (ROADMAP.md); "
                + "run with --profile Profiles/baseline.yaml or another profile file")
            throw ExitCode(2)
        }
        let loaded: Profile
        do { loaded = try ExperimentLoader().loadProfile(at: profile!) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        if loaded.webRtcTransport.srtpCryptoSuites.isEmpty {
            printError("error: \(profile!): webRtcTransport.srtpCryptoSuites is empty; list at least one of "
                + SRTPCryptoSuite.allCases.map(\.rawValue).joined(separator: ", ") + " (or leave the key out for all four)")
            throw ExitCode(2)
        }
        let levelName = logLevel ?? loaded.worker.logLevel
        guard let level = JSONLogHandler.level(named: levelName) else {
            printError("error: \(profile!): worker.logLevel '\(levelName)' is not one of \(JSONLogHandler.levelNames.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let logger = Logger(label: "sfulab.server") { label in
            var handler = JSONLogHandler(label: label, level: level)
            if levelName.lowercased() == "none" { handler.logLevel = .critical }
            return handler
        }
        let server: EngineServer
        do {
            server = try EngineServer.startBlocking(
                ServerConfiguration(profile: loaded, listenHost: listen, controlPort: port, seed: seed), logger: logger)
        } catch {
            printError("error: \(error); choose another --port (0 picks a free one) or --listen address")
            throw ExitCode(2)
        }
        print(server.readyLine.jsonLine)
        fflush(stdout)

        let stop = StopSignal()
        stop.onSignals([SIGINT, SIGTERM])
        if exitWithParent { stop.onParentExit() }
        let reason = stop.wait()
        logger.info("stopping", metadata: ["reason": .string(reason)])
        do { try server.shutdownBlocking() } catch {
            printError("error: shutting down: \(error)")
            throw ExitCode(1)
        }
    }
}
