import Foundation
import NIOHTTP1

/// A request of the control API, matched from method and path (docs/control-api.md). Matching
/// is a pure function, tested without a socket.
enum ControlRoute: Equatable, Sendable {
    case health
    case metrics
    case capabilities
    case createTransport(room: String)
    case connectTransport(room: String, transport: Int)
    case transportStats(room: String, transport: Int)
    case closeTransport(room: String, transport: Int)
    case produce(room: String, transport: Int)
    case pauseProducer(room: String, producer: Int)
    case resumeProducer(room: String, producer: Int)
    case closeProducer(room: String, producer: Int)
    case replaceProducerSource(room: String, producer: Int)
    case consume(room: String, transport: Int)
    case consumerStats(room: String, consumer: Int)
    case pauseConsumer(room: String, consumer: Int)
    case resumeConsumer(room: String, consumer: Int)
    case requestKeyFrame(room: String, consumer: Int)
    case setPreferredLayers(room: String, consumer: Int)
    case setPriority(room: String, consumer: Int)
    case closeConsumer(room: String, consumer: Int)
    case roomStats(room: String)
    case closeRoom(room: String)
    case listProducers(room: String)
    case listConsumers(room: String)
    case createTap(room: String)
    case listTaps(room: String)
    case closeTap(room: String, tap: Int)

    /// The room the route acts on; nil for server-wide routes.
    var room: String? {
        switch self {
        case .health, .metrics, .capabilities: nil
        case .createTransport(let room), .connectTransport(let room, _), .transportStats(let room, _),
             .closeTransport(let room, _), .produce(let room, _), .pauseProducer(let room, _), .resumeProducer(let room, _),
             .closeProducer(let room, _), .replaceProducerSource(let room, _), .consume(let room, _), .consumerStats(let room, _), .pauseConsumer(let room, _),
             .resumeConsumer(let room, _), .requestKeyFrame(let room, _), .setPreferredLayers(let room, _),
             .setPriority(let room, _), .closeConsumer(let room, _), .roomStats(let room), .closeRoom(let room),
             .listProducers(let room), .listConsumers(let room), .createTap(let room), .listTaps(let room), .closeTap(let room, _):
            room
        }
    }

    /// A path pattern: literal segments, `{room}` and `{id}` (a non-negative integer).
    private struct Pattern {
        var segments: [String]
        var method: HTTPMethod
        var make: @Sendable (_ room: String, _ id: Int) -> ControlRoute
    }

    private static let patterns: [Pattern] = [
        Pattern(segments: ["health"], method: .GET) { _, _ in .health },
        Pattern(segments: ["metrics"], method: .GET) { _, _ in .metrics },
        Pattern(segments: ["capabilities"], method: .GET) { _, _ in .capabilities },
        Pattern(segments: ["rooms", "{room}", "transports"], method: .POST) { room, _ in .createTransport(room: room) },
        Pattern(segments: ["rooms", "{room}", "transports", "{id}", "connect"], method: .POST) { .connectTransport(room: $0, transport: $1) },
        Pattern(segments: ["rooms", "{room}", "transports", "{id}", "stats"], method: .GET) { .transportStats(room: $0, transport: $1) },
        Pattern(segments: ["rooms", "{room}", "transports", "{id}"], method: .DELETE) { .closeTransport(room: $0, transport: $1) },
        Pattern(segments: ["rooms", "{room}", "transports", "{id}", "producers"], method: .POST) { .produce(room: $0, transport: $1) },
        Pattern(segments: ["rooms", "{room}", "producers", "{id}", "pause"], method: .POST) { .pauseProducer(room: $0, producer: $1) },
        Pattern(segments: ["rooms", "{room}", "producers", "{id}", "resume"], method: .POST) { .resumeProducer(room: $0, producer: $1) },
        Pattern(segments: ["rooms", "{room}", "producers", "{id}"], method: .DELETE) { .closeProducer(room: $0, producer: $1) },
        Pattern(segments: ["rooms", "{room}", "producers", "{id}", "source"], method: .PUT) {
            .replaceProducerSource(room: $0, producer: $1)
        },
        Pattern(segments: ["rooms", "{room}", "transports", "{id}", "consumers"], method: .POST) { .consume(room: $0, transport: $1) },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}"], method: .GET) { .consumerStats(room: $0, consumer: $1) },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}", "pause"], method: .POST) { .pauseConsumer(room: $0, consumer: $1) },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}", "resume"], method: .POST) { .resumeConsumer(room: $0, consumer: $1) },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}", "request-key-frame"], method: .POST) {
            .requestKeyFrame(room: $0, consumer: $1)
        },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}", "preferred-layers"], method: .PUT) {
            .setPreferredLayers(room: $0, consumer: $1)
        },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}", "priority"], method: .PUT) { .setPriority(room: $0, consumer: $1) },
        Pattern(segments: ["rooms", "{room}", "consumers", "{id}"], method: .DELETE) { .closeConsumer(room: $0, consumer: $1) },
        Pattern(segments: ["rooms", "{room}", "stats"], method: .GET) { room, _ in .roomStats(room: room) },
        Pattern(segments: ["rooms", "{room}"], method: .DELETE) { room, _ in .closeRoom(room: room) },
        Pattern(segments: ["rooms", "{room}", "producers"], method: .GET) { room, _ in .listProducers(room: room) },
        Pattern(segments: ["rooms", "{room}", "consumers"], method: .GET) { room, _ in .listConsumers(room: room) },
        Pattern(segments: ["rooms", "{room}", "taps"], method: .POST) { room, _ in .createTap(room: room) },
        Pattern(segments: ["rooms", "{room}", "taps"], method: .GET) { room, _ in .listTaps(room: room) },
        Pattern(segments: ["rooms", "{room}", "taps", "{id}"], method: .DELETE) { .closeTap(room: $0, tap: $1) },
    ]

    /// Longest room name accepted.
    static let maxRoomNameLength = 64

    /// Matches `method` and `uri` (query string ignored): 404 for an unknown path or a malformed
    /// id, 405 for a known path with another method, 400 for a bad room name.
    static func match(method: HTTPMethod, uri: String) -> Result<ControlRoute, ControlFailure> {
        let path = String(uri.prefix { $0 != "?" && $0 != "#" })
        var raw = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard raw.first == "" else { return .failure(.notFound("no route \(path); see docs/control-api.md")) }
        raw.removeFirst()
        if raw.last == "" && raw.count > 1 { raw.removeLast() }
        let segments = raw.map { $0.removingPercentEncoding ?? $0 }
        var allowed: [HTTPMethod] = []
        var idProblem: String?
        for pattern in patterns where pattern.segments.count == segments.count {
            var room = ""
            var id = -1
            var matches = true
            for (expected, actual) in zip(pattern.segments, segments) {
                switch expected {
                case "{room}": room = actual
                case "{id}":
                    guard let value = Int(actual), value >= 0 else {
                        idProblem = "'\(actual)' is not an id (ids are non-negative integers)"
                        matches = false
                        break
                    }
                    id = value
                default: matches = matches && expected == actual
                }
                if !matches { break }
            }
            guard matches else { continue }
            guard pattern.method == method else {
                allowed.append(pattern.method)
                continue
            }
            if pattern.segments.contains("{room}"), let problem = roomNameProblem(room) { return .failure(.badRequest(problem)) }
            return .success(pattern.make(room, id))
        }
        if !allowed.isEmpty { return .failure(.methodNotAllowed(method, path, allowed: allowed)) }
        if let idProblem { return .failure(.notFound("\(path): \(idProblem)")) }
        return .failure(.notFound("no route \(path); see docs/control-api.md"))
    }

    /// Why `name` is not a room name, nil when it is one.
    static func roomNameProblem(_ name: String) -> String? {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")
        if name.isEmpty || name.count > maxRoomNameLength || !name.allSatisfy(allowed.contains) {
            return "room '\(name)': a room name is 1 to \(maxRoomNameLength) of A-Z a-z 0-9 - . _"
        }
        return nil
    }
}
