import ControlAPI
import Engine
import EngineClient
import Foundation
import Harness
import NIOCore
import NIOPosix

/// Runs one trial in live mode (docs/live-mode.md): the engine runs as its own `sfulab serve`
/// process (started for the trial, or one already running), and this process is the load
/// generator: the same simulated participants, link emulators and measurements as simulated
/// mode, on one SwiftNIO event loop with the monotonic clock, over real UDP sockets or TCP
/// connections (RFC 4571) on 127.0.0.1.
///
/// With `impairment = .kernel` the server runs in a network namespace of its own, the
/// participants' sockets in another, and the link emulators act on the IP packets between the two
/// (`KernelNetwork`): TCP sees real loss and the kernel recovers from it.
///
/// Live results are not reproducible bit for bit (real time, real scheduling); they carry
/// `mode: live` and `liveImpairments`, which says where each impairment was applied.
public struct LiveTrialRunner: Sendable {
    /// Where the engine comes from.
    public enum EngineSource: Sendable, Hashable {
        /// Start `executable serve --profile <the trial's profile>` for the trial and stop it after.
        case spawn(executable: String)
        /// Use the server at this control URL (`http://HOST:PORT`) as it is configured; the
        /// trial's profile is not applied to it.
        case attach(url: String)
    }

    public var engine: EngineSource
    /// Time after the publishers stop during which the network drains.
    public var drain: Duration = .seconds(1)
    /// Directory relative trace paths in the network scenario are resolved against.
    public var traceDirectory: String?
    /// Replay a workload file exactly as recorded (`sfulab replay`).
    public var replaysVerbatim = false
    /// Room the trial runs in; nil: a fresh name (`trial-<seed>-<random>`). Naming it lets
    /// another client watch the same room, e.g. `sfulab record --engine URL --room NAME`.
    public var room: String?
    /// Deadline for the spawned server's ready line.
    public var readyTimeout: Duration = .seconds(60)
    /// Told the process id of a spawned server once it is ready (tests check it is gone after).
    public var serverStarted: (@Sendable (Int32) -> Void)?
    /// Where the network scenario's impairments are applied (docs/live-mode.md).
    public var impairment: LiveImpairment = .user
    /// Webrtc transports (ICE, DTLS, SRTP: what real clients use) or plain RTP to compare.
    public var security: LiveSecurity = .webrtc
    /// Why `impairment` is what it is when it was not asked for (for example why the kernel path
    /// is not used), stated in the result's `liveImpairments["impairment"]`.
    public var impairmentReason: String?
    /// Told the names of the participants' and the engine's network namespaces on the kernel path
    /// once they exist (tests check they are gone after).
    public var namespacesCreated: (@Sendable (_ participants: String, _ engine: String) -> Void)?

    public init(engine: EngineSource, traceDirectory: String? = nil) {
        self.engine = engine
        self.traceDirectory = traceDirectory
    }

    /// The transport a client picks from the profile's `webRtcTransport` settings, as an ICE
    /// agent would from mediasoup's candidates: UDP unless only TCP is enabled, or both are and
    /// `preferTcp` is set without `preferUdp`.
    public static func transportProtocol(for settings: WebRtcTransportSettings) throws(LiveTrialError) -> TransportProtocol {
        switch (settings.enableUdp, settings.enableTcp) {
        case (true, true): settings.preferTcp && !settings.preferUdp ? .tcp : .udp
        case (true, false): .udp
        case (false, true): .tcp
        case (false, false):
            throw .unsupported("webRtcTransport.enableUdp and webRtcTransport.enableTcp are both false; enable at least one")
        }
    }

    /// Runs `spec` against the engine server and returns what the participants measured, with
    /// the server's engine latency and counters (`wallSeconds` is left to the caller). Blocks
    /// the calling thread for the trial's duration; never call it on an event loop. The spawned
    /// server is stopped on every path out, failures included. Throws `TrialError` for a bad
    /// workload or network, `LiveTrialError` for everything else.
    public func run(_ spec: TrialSpec) throws -> TrialResult {
        let transport = try Self.transportProtocol(for: spec.profile.webRtcTransport)
        if security == .webrtc, spec.profile.webRtcTransport.srtpCryptoSuites.isEmpty {
            throw LiveTrialError.unsupported("webRtcTransport.srtpCryptoSuites is empty: webrtc transports need at least one suite; "
                + "list one, or run with --security plain")
        }
        if impairment == .kernel, case .attach = engine {
            throw LiveTrialError.unsupported("--impairment kernel starts the engine inside a network namespace and cannot attach to --engine; use --impairment user")
        }
        // Declared first, so closed last: the relay carries the control API until the server stops.
        let network = impairment == .kernel ? try KernelNetwork.create() : nil
        defer { network?.close() }
        if let network { namespacesCreated?(network.participants.name, network.engine.name) }
        let connection = try EngineConnection.open(engine, profile: spec.profile, seed: spec.seed, readyTimeout: readyTimeout, network: network)
        if let server = connection.server { serverStarted?(server.pid) }
        var succeeded = false
        defer { connection.close(keepingLog: !succeeded) }
        do {
            var result = try run(spec, client: connection.client, transport: transport, network: network)
            switch engine {
            case .spawn:
                // No per-trial names here: reports group trials whose notes are equal.
                let place = network == nil ? "on 127.0.0.1" : "in a network namespace of its own (sfulab-<pid>-<n>-e) on \(KernelNetwork.engineAddress)"
                result.liveImpairments?["engine"] = "`sfulab serve` process started for this trial with the trial's profile (worker.count \(spec.profile.worker.count)) \(place)"
            case .attach(let url):
                result.liveImpairments?["engine"] = "attached server at \(url): its own profile applied, not the trial's"
            }
            result.liveImpairments?["impairment"] = impairment.place + (impairmentReason.map { " (\($0))" } ?? "")
            succeeded = true
            return result
        } catch let error as TrialError {
            throw error  // bad workload or network: the caller's input, not the run
        } catch {
            let log = connection.logFile.map { " (server log: \($0.path))" } ?? ""
            throw LiveTrialError.run("\(error)\(log)")
        }
    }

    private func run(_ spec: TrialSpec, client: EngineClient, transport: TransportProtocol, network: KernelNetwork?) throws -> TrialResult {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let driver = LiveDriver(loop: group.next())
        if let network { try driver.loop.submit { try network.participants.enter() }.wait() }
        let room = self.room ?? "trial-\(spec.seed)-\(UUID().uuidString.prefix(8))"
        defer {
            _ = try? driver.closeAll().wait()
            try? client.closeRoom(room: room)
        }
        let control = try LiveSessionControl(client: client, room: room, protocol: transport, driver: driver, profile: spec.profile,
                                             host: network == nil ? "127.0.0.1" : KernelNetwork.participantsAddress,
                                             security: security)
        // Before the loop shuts down: a device switch answered late still runs its answer there.
        defer { control.waitForPendingSourceReplacements() }
        let generator = try LiveLoadGenerator(spec: spec, control: control, overTCP: transport == .tcp, drain: drain,
                                              traceDirectory: traceDirectory, replaysVerbatim: replaysVerbatim,
                                              impairment: network == nil ? .user : .kernel)
        let subscriberTransports = generator.subscriberTransports
        let videoConsumers = Set(control.videoConsumers.map(\.rawValue))
        let end = generator.end
        let shared = UncheckedTransfer(value: generator)

        let kernel = try network.map { try KernelTrial(network: $0, generator: generator, transport: transport) }
        let origin = NIODeadline.now()
        try kernel?.start(origin: origin)
        let done = driver.start(shared, origin: origin)
        // Every 500 ms of trial time: the bandwidth estimates and every video consumer's layers
        // (one request for all of them), read from the server (blocking calls on this thread,
        // recorded on the loop).
        var tick = Instant.zero + .milliseconds(500)
        var consumersPolled = 0
        while tick < end {
            _ = try driver.at(tick) { $0 }.wait()
            let reached = tick  // the nominal sampling instant, as in simulated mode (the reads take ~0.1 ms)
            let estimates = try subscriberTransports.map { try control.availableOutgoingBitrate($0) }
            let layers = try client.listConsumers(room: room).consumers
                .filter { videoConsumers.contains($0.id) }
                .map { (ConsumerID(rawValue: $0.id), $0.currentLayers) }
            consumersPolled = max(consumersPolled, layers.count)
            driver.loop.execute {
                shared.value.recordEstimates(estimates, now: reached)
                for (consumer, current) in layers { shared.value.recordLayers(of: consumer, current, now: reached) }
                shared.value.sampleLayers(now: reached)
            }
            tick = tick + .milliseconds(500)
        }
        try done.wait()
        let kernelFigures = try kernel?.finish() ?? [:]
        let stats = try client.roomStats(room: room)
        var engineFigures = EngineFigures.metrics(stats)
        engineFigures.merge(kernelFigures) { _, new in new }
        engineFigures["live.failedControlCalls"] = Double(control.failedCalls)
        engineFigures["live.failedDeviceSwitches"] = Double(control.failedSourceReplacements)
        engineFigures["live.layerConsumersPolled"] = Double(consumersPolled)
        let figures = engineFigures
        let kernelPath = network != nil
        // Which SRTP library the server ran, from one of its webrtc transports (the note says
        // "not reported" rather than failing a finished trial when the read fails).
        let serverSRTP = security == .webrtc
            ? subscriberTransports.first.flatMap { try? client.transportStats(room: room, transport: $0.rawValue).webRtc } : nil
        let result = try driver.loop.submit {
            var result = shared.value.finish(engine: figures)
            let counters = driver.counters
            result.metrics["live.datagramsReadBeforeStart"] = Double(counters.readBeforeStart)
            result.metrics["live.writeFailures"] = Double(counters.writeFailures + counters.unroutable + counters.oversize)
            result.metrics.merge(driver.timerLag.metrics(prefix: "live.timerLag")) { _, new in new }
            result.metrics.merge(driver.securityFigures) { _, new in new }
            result.liveImpairments?["security"] = driver.securityNote(kernel: kernelPath, server: serverSRTP)
            return result
        }.wait()
        return result
    }
}

/// The engine server a live trial talks to: spawned for it, or attached.
private final class EngineConnection {
    let client: EngineClient
    let server: ServerProcess?
    let profileFile: URL?
    let logFile: URL?
    /// The kernel path's client event loop, in the participants' namespace.
    private let clientGroup: MultiThreadedEventLoopGroup?

    private init(client: EngineClient, server: ServerProcess?, profileFile: URL?, logFile: URL?,
                 clientGroup: MultiThreadedEventLoopGroup? = nil) {
        self.client = client
        self.server = server
        self.profileFile = profileFile
        self.logFile = logFile
        self.clientGroup = clientGroup
    }

    /// On the kernel path (`network`), the server runs in the engine's namespace on its address,
    /// and the control API is reached from the participants' namespace, through the relay.
    static func open(_ source: LiveTrialRunner.EngineSource, profile: Profile, seed: UInt64, readyTimeout: Duration,
                     network: KernelNetwork?) throws -> EngineConnection {
        switch source {
        case .attach(let url):
            let client: EngineClient
            do { client = try EngineClient(url: url) } catch { throw LiveTrialError.engine("\(error)") }
            do {
                let health = try client.health()
                guard health.apiVersion == ControlAPI.version else {
                    throw LiveTrialError.engine("\(url) speaks control API version \(health.apiVersion); this sfulab speaks \(ControlAPI.version)")
                }
            } catch let error as LiveTrialError {
                throw error
            } catch {
                throw LiveTrialError.engine("\(error)")
            }
            return EngineConnection(client: client, server: nil, profileFile: nil, logFile: nil)
        case .spawn(let executable):
            let directory = FileManager.default.temporaryDirectory
            let token = UUID().uuidString.prefix(8)
            // JSON is YAML: the server reads the profile with its YAML loader.
            let profileFile = directory.appendingPathComponent("sfulab-live-profile-\(token).yaml")
            let logFile = directory.appendingPathComponent("sfulab-live-server-\(token).log")
            do {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(profile).write(to: profileFile, options: .atomic)
            } catch {
                throw LiveTrialError.engine("cannot write the trial's profile to \(profileFile.path): \(error)")
            }
            guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
                  let log = try? FileHandle(forWritingTo: logFile) else {
                try? FileManager.default.removeItem(at: profileFile)
                throw LiveTrialError.engine("cannot create the server log \(logFile.path)")
            }
            defer { try? log.close() }
            let arguments = ["--profile", profileFile.path, "--seed", String(seed)]
            var launched: ServerProcess?
            do {
                guard let network else {
                    let server = try ServerProcess.launch(executable: executable, arguments: arguments, readyTimeout: readyTimeout, stderr: log)
                    return EngineConnection(client: server.client, server: server, profileFile: profileFile, logFile: logFile)
                }
                let server = try ServerProcess.launch(executable: executable, arguments: arguments, readyTimeout: readyTimeout, stderr: log,
                                                      listen: KernelNetwork.engineAddress, launcher: network.engineLauncher)
                launched = server
                let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
                do {
                    try group.next().submit { try network.participants.enter() }.wait()
                    let client = try EngineClient(url: server.ready.control, group: group)
                    return EngineConnection(client: client, server: server, profileFile: profileFile, logFile: logFile, clientGroup: group)
                } catch {
                    try? group.syncShutdownGracefully()
                    throw error
                }
            } catch {
                launched?.terminate()
                try? FileManager.default.removeItem(at: profileFile)
                throw LiveTrialError.engine("\(error) (server log: \(logFile.path))")
            }
        }
    }

    /// Stops a spawned server and removes its files (the log stays after a failure).
    func close(keepingLog: Bool) {
        client.close()
        if let server { server.terminate() }
        try? clientGroup?.syncShutdownGracefully()
        if let profileFile { try? FileManager.default.removeItem(at: profileFile) }
        if let logFile, !keepingLog { try? FileManager.default.removeItem(at: logFile) }
    }
}
