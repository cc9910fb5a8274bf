import ControlAPI
import DTLSSRTP
import Engine
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The engine on real sockets (docs/engine-server.md): `profile.worker.count` worker event loops,
/// each running the rooms assigned to it round-robin (one `Engine` per room); plain UDP and TCP
/// (RFC 4571) transports; the HTTP/JSON control API (docs/control-api.md) on its own event loop;
/// Prometheus metrics at `GET /metrics`.
///
/// ```
/// let server = try await EngineServer.start(ServerConfiguration(profile: profile))
/// print(server.controlURL)   // http://127.0.0.1:PORT
/// try await server.shutdown()
/// ```
public final class EngineServer: Sendable {
    public let configuration: ServerConfiguration
    /// The port the control API listens on.
    public let controlPort: Int
    /// Worker event loops.
    public let workerCount: Int
    let service: ControlService
    private let workers: MultiThreadedEventLoopGroup
    private let controlGroup: MultiThreadedEventLoopGroup
    private let listener: any Channel

    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `http://HOST:PORT` of the control API.
    public var controlURL: String { "http://\(configuration.listenHost):\(controlPort)" }

    /// The ready line `sfulab serve` prints.
    public var readyLine: ReadyLine {
        ReadyLine(control: controlURL, workers: workerCount, pid: ProcessIdentity.current)
    }

    private init(configuration: ServerConfiguration, service: ControlService, workers: MultiThreadedEventLoopGroup,
                 controlGroup: MultiThreadedEventLoopGroup, listener: any Channel) {
        self.configuration = configuration
        self.service = service
        self.workers = workers
        self.controlGroup = controlGroup
        self.listener = listener
        workerCount = configuration.profile.worker.count
        controlPort = listener.localAddress?.port ?? configuration.controlPort
    }

    /// Starts the worker loops and binds the control API. Logs go to `logger`.
    public static func start(_ configuration: ServerConfiguration,
                             logger: Logger = Logger(label: "sfulab.server", factory: { _ in SwiftLogNoOpLogHandler() }))
        async throws -> EngineServer
    {
        try await bind(configuration, logger: logger).get()
    }

    /// The same as `start`, blocking; never call it on an event loop.
    public static func startBlocking(_ configuration: ServerConfiguration,
                                     logger: Logger = Logger(label: "sfulab.server", factory: { _ in SwiftLogNoOpLogHandler() }))
        throws -> EngineServer
    {
        try bind(configuration, logger: logger).wait()
    }

    private static func bind(_ configuration: ServerConfiguration, logger: Logger) -> EventLoopFuture<EngineServer> {
        let workerCount = configuration.profile.worker.count
        let controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        guard (1...256).contains(workerCount) else {
            let error = StartError(description: "worker.count: \(workerCount) is outside 1...256")
            return controlGroup.next().makeFailedFuture(error).always { _ in controlGroup.shutdownGracefully { _ in } }
        }
        guard !configuration.profile.webRtcTransport.srtpCryptoSuites.isEmpty else {
            let names = SRTPCryptoSuite.allCases.map(\.rawValue).joined(separator: ", ")
            let error = StartError(description: "webRtcTransport.srtpCryptoSuites is empty; list at least one of \(names)")
            return controlGroup.next().makeFailedFuture(error).always { _ in controlGroup.shutdownGracefully { _ in } }
        }
        let workers = MultiThreadedEventLoopGroup(numberOfThreads: workerCount)
        let metrics = ServerMetrics()
        let service = ControlService(configuration: configuration, workers: Array(workers.makeIterator()), metrics: metrics,
                                     logger: logger)
        return ServerBootstrap(group: controlGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ControlHTTPHandler(service: service))
                }
            }
            .bind(host: configuration.listenHost, port: configuration.controlPort)
            .map { listener in
                let server = EngineServer(configuration: configuration, service: service, workers: workers,
                                          controlGroup: controlGroup, listener: listener)
                let srtp = SRTPBackend(configuration.profile.webRtcTransport.srtpBackend)
                logger.info("listening", metadata: ["control": .string(server.controlURL), "workers": "\(workerCount)",
                                                    "srtpBackend": "\(srtp.rawValue)", "srtpLibrary": .string(srtp.libraryVersion)])
                return server
            }
            .flatMapErrorThrowing { error in
                workers.shutdownGracefully { _ in }
                controlGroup.shutdownGracefully { _ in }
                throw StartError(description: "cannot listen on \(configuration.listenHost):\(configuration.controlPort): \(error)")
            }
    }

    /// Closes the control API and every room's sockets, then stops the event loops.
    public func shutdown() async throws {
        try await closeChannels().get()
        try await workers.shutdownGracefully()
        try await controlGroup.shutdownGracefully()
    }

    /// The same as `shutdown`, blocking; never call it on an event loop.
    public func shutdownBlocking() throws {
        try closeChannels().wait()
        try workers.syncShutdownGracefully()
        try controlGroup.syncShutdownGracefully()
    }

    private func closeChannels() -> EventLoopFuture<Void> {
        let loop = listener.eventLoop
        return listener.close().flatMapErrorThrowing { _ in }.flatMap { [service] in
            service.logger.info("shutting down", metadata: ["rooms": "\(service.rooms.count)"])
            return service.closeAllRooms(on: loop)
        }
    }
}

/// This process's id.
enum ProcessIdentity {
    static var current: Int32 { getpid() }
}
