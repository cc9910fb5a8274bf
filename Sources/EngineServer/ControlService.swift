import ControlAPI
import Engine
import Logging
import NIOCore

/// Carries out control routes: server-wide ones at once, room ones on the room's worker loop.
final class ControlService: Sendable {
    let configuration: ServerConfiguration
    let rooms: RoomRegistry
    let metrics: ServerMetrics
    let logger: Logger
    let workerCount: Int
    /// Monotonic clock reading when the server started (engine instant zero).
    let origin: UInt64

    init(configuration: ServerConfiguration, workers: [any EventLoop], metrics: ServerMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        workerCount = workers.count
        origin = MonotonicClock.now()
        rooms = RoomRegistry(workers: workers, configuration: configuration, origin: origin, metrics: metrics, logger: logger)
    }

    /// Runs `route` with its request `body`; the reply completes on some loop (the caller hops).
    func dispatch(_ route: ControlRoute, body: [UInt8], on loop: any EventLoop) -> EventLoopFuture<ControlReply> {
        switch route {
        case .health:
            let uptime = Double(MonotonicClock.now() &- origin) / 1e9
            return loop.makeSucceededFuture(.json(HealthResponse(workers: workerCount, rooms: rooms.count, uptimeSeconds: uptime)))
        case .capabilities:
            return loop.makeSucceededFuture(.json(CapabilitiesResponse(RouterCapabilities(router: configuration.profile.router))))
        case .metrics:
            let published = rooms.all.map { room in room.loop.submit { room.publishMetrics() } }
            return EventLoopFuture.andAllComplete(published, on: loop).map { [metrics] in
                ControlReply(status: .ok, body: metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        case .createTransport(let name):
            let request: CreateTransportRequest
            do { request = try ControlReply.decode(CreateTransportRequest.self, from: body, name: "CreateTransportRequest") } catch {
                return loop.makeSucceededFuture(.failure(error))
            }
            let room = rooms.roomCreating(name)
            let host = configuration.listenHost
            return room.loop.flatSubmit { room.createTransport(request, listenHost: host) }
        case .createTap(let name):
            let request: CreateTapRequest
            do { request = try ControlReply.decode(CreateTapRequest.self, from: body, name: "CreateTapRequest") } catch {
                return loop.makeSucceededFuture(.failure(error))
            }
            guard let room = rooms.room(name) else { return loop.makeSucceededFuture(.failure(Self.noRoom(name))) }
            return room.loop.flatSubmit { room.createTap(request) }
        case .closeTap(let name, let id):
            guard let room = rooms.room(name) else { return loop.makeSucceededFuture(.failure(Self.noRoom(name))) }
            return room.loop.flatSubmit { room.closeTap(id) }
        case .closeRoom(let name):
            guard let room = rooms.remove(name) else { return loop.makeSucceededFuture(.failure(Self.noRoom(name))) }
            logger.info("room closed", metadata: ["room": .string(name)])
            return room.loop.flatSubmit { room.close() }.map { .empty }
        default:
            guard let name = route.room, let room = rooms.room(name) else {
                return loop.makeSucceededFuture(.failure(Self.noRoom(route.room ?? "")))
            }
            return room.loop.submit {
                do throws(ControlFailure) { return try room.perform(route, body: body) } catch { return .failure(error) }
            }
        }
    }

    /// Closes every room's sockets.
    func closeAllRooms(on loop: any EventLoop) -> EventLoopFuture<Void> {
        let closing = rooms.removeAll().map { room in room.loop.flatSubmit { room.close() } }
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }

    private static func noRoom(_ name: String) -> ControlFailure {
        .notFound("no room \(name) (a room is created by its first POST /rooms/\(name)/transports)")
    }
}
