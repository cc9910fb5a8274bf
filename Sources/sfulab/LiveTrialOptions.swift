import ArgumentParser
import Engine
import Foundation
import Harness
import LiveHarness

/// How `sfulab trial` and `sfulab replay` choose and reach the engine: `--mode simulated` (the
/// in-process engine in virtual time, the default) or `--mode live` (a `sfulab serve` process
/// started for the trial, or the one at `--engine URL`), docs/live-mode.md.
struct LiveTrialOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable { case simulated, live }

    @Option(help: "simulated (in-process engine, virtual time) or live (engine server process, real sockets).")
    var mode: Mode = .simulated

    @Option(help: "Live mode: use the engine server at this control URL (http://HOST:PORT) instead of starting one; its own profile applies.")
    var engine: String?

    @Option(help: "Live mode: run in this room of the engine (default: a fresh name), so that another client can watch it, e.g. `sfulab record --engine URL --room NAME`.")
    var room: String?

    @Option(help: """
        Live mode: where the network impairments are applied: kernel (a TUN emulator between network namespaces, \
        TCP sees real loss; needs root) or user (a relay in the load generator). Default: kernel when available \
        and the engine is started for the trial, else user, with the reason in the result.
        """)
    var impairment: LiveImpairment?

    @Option(help: """
        Live mode: what the transports carry: webrtc (ICE-lite check, DTLS-SRTP handshake, then SRTP, as real \
        clients; the default) or plain (unencrypted RTP, to compare). The result says which under `liveImpairments.security`.
        """)
    var security: LiveSecurity?

    func validate() throws {
        if security != nil && mode != .live { throw ValidationError("--security needs --mode live (simulated runs do not encrypt)") }
        if engine != nil && mode != .live { throw ValidationError("--engine needs --mode live") }
        if room != nil && mode != .live { throw ValidationError("--room needs --mode live") }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")
        if let room, room.isEmpty || room.count > 64 || !room.allSatisfy(allowed.contains) {
            throw ValidationError("--room: '\(room)' is not a room name (1 to 64 of A-Z a-z 0-9 - . _, as the control API requires)")
        }
        if impairment != nil && mode != .live { throw ValidationError("--impairment needs --mode live") }
        if impairment == .kernel && engine != nil {
            throw ValidationError("--impairment kernel starts the engine inside a network namespace and cannot attach to --engine; use --impairment user")
        }
    }

    /// The impairment path and, when it was chosen rather than asked for, why.
    func chosenImpairment() -> (LiveImpairment, reason: String?) {
        if let impairment { return (impairment, nil) }
        if engine != nil { return (.user, "default with --engine: an attached server is outside the kernel path's namespaces") }
        if let unavailable = KernelImpairment.unavailableReason { return (.user, "default: the kernel path \(unavailable)") }
        return (.kernel, "default: available here")
    }

    /// The path of the running `sfulab`, which live mode starts as `sfulab serve`.
    static var executable: String { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path }

    /// Runs `spec` live; exits 2 for bad input (workload, network, a profile live mode cannot run)
    /// and 1 when the engine server or the run failed, with the error on stderr.
    func runLive(_ spec: TrialSpec, verbatim: Bool = false) throws -> TrialResult {
        var runner = LiveTrialRunner(engine: engine.map { .attach(url: $0) } ?? .spawn(executable: Self.executable),
                                     traceDirectory: FileManager.default.currentDirectoryPath)
        runner.replaysVerbatim = verbatim
        runner.room = room
        runner.security = security ?? .webrtc
        (runner.impairment, runner.impairmentReason) = chosenImpairment()
        runner.namespacesCreated = { participants, engine in
            printError("live: kernel impairment between network namespaces \(participants) (participants) and \(engine) (engine)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            var result = try runner.run(spec)
            result.wallSeconds = (clock.now - started).secondsDouble
            return result
        } catch let error as TrialError {
            printError("error: \(error.description)")
            throw ExitCode(2)
        } catch let error as LiveTrialError {
            printError("error: \(error.description)")
            if case .unsupported = error { throw ExitCode(2) }
            throw ExitCode(1)
        } catch {
            printError("error: live trial: \(error)")
            throw ExitCode(1)
        }
    }
}

extension LiveImpairment: ExpressibleByArgument {}
extension LiveSecurity: ExpressibleByArgument {}
extension SRTPBackendName: ExpressibleByArgument {}
