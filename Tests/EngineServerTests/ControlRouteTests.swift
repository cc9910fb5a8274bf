@testable import EngineServer
import NIOHTTP1
import Testing

/// Route matching is a pure function of method and path.
@Suite struct ControlRouteTests {
    func match(_ method: HTTPMethod, _ uri: String) -> Result<ControlRoute, ControlFailure> {
        ControlRoute.match(method: method, uri: uri)
    }

    @Test func everyDocumentedRouteMatches() throws {
        let cases: [(HTTPMethod, String, ControlRoute)] = [
            (.GET, "/health", .health),
            (.GET, "/metrics", .metrics),
            (.GET, "/capabilities", .capabilities),
            (.POST, "/rooms/a/transports", .createTransport(room: "a")),
            (.POST, "/rooms/a/transports/3/connect", .connectTransport(room: "a", transport: 3)),
            (.GET, "/rooms/a/transports/3/stats", .transportStats(room: "a", transport: 3)),
            (.DELETE, "/rooms/a/transports/3", .closeTransport(room: "a", transport: 3)),
            (.POST, "/rooms/a/transports/3/producers", .produce(room: "a", transport: 3)),
            (.POST, "/rooms/a/producers/1/pause", .pauseProducer(room: "a", producer: 1)),
            (.POST, "/rooms/a/producers/1/resume", .resumeProducer(room: "a", producer: 1)),
            (.DELETE, "/rooms/a/producers/1", .closeProducer(room: "a", producer: 1)),
            (.POST, "/rooms/a/transports/3/consumers", .consume(room: "a", transport: 3)),
            (.GET, "/rooms/a/consumers/2", .consumerStats(room: "a", consumer: 2)),
            (.GET, "/rooms/a/consumers", .listConsumers(room: "a")),
            (.POST, "/rooms/a/consumers/2/pause", .pauseConsumer(room: "a", consumer: 2)),
            (.POST, "/rooms/a/consumers/2/resume", .resumeConsumer(room: "a", consumer: 2)),
            (.POST, "/rooms/a/consumers/2/request-key-frame", .requestKeyFrame(room: "a", consumer: 2)),
            (.PUT, "/rooms/a/consumers/2/preferred-layers", .setPreferredLayers(room: "a", consumer: 2)),
            (.PUT, "/rooms/a/consumers/2/priority", .setPriority(room: "a", consumer: 2)),
            (.DELETE, "/rooms/a/consumers/2", .closeConsumer(room: "a", consumer: 2)),
            (.GET, "/rooms/a/stats", .roomStats(room: "a")),
            (.DELETE, "/rooms/a", .closeRoom(room: "a")),
        ]
        for (method, uri, route) in cases {
            #expect(try match(method, uri).get() == route, "\(method) \(uri)")
        }
    }

    @Test func queryStringsTrailingSlashesAndPercentEncodingAreHandled() throws {
        #expect(try match(.GET, "/health?verbose=1").get() == .health)
        #expect(try match(.GET, "/rooms/a/stats/").get() == .roomStats(room: "a"))
        #expect(try match(.GET, "/rooms/my%2Droom/stats").get() == .roomStats(room: "my-room"))
    }

    @Test func wrongMethodNamesTheAllowedOnes() {
        guard case .failure(let failure) = match(.PUT, "/rooms/a/consumers/2") else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.status == .methodNotAllowed)
        #expect(Set(failure.allowed.map(\.rawValue)) == ["GET", "DELETE"])
    }

    @Test func unknownPathsBadIdsAndBadRoomNames() {
        for uri in ["/", "/rooms", "/rooms/a/transports/1/nothing", "/health/extra", "rooms/a/stats"] {
            guard case .failure(let failure) = match(.GET, uri) else {
                Issue.record("\(uri) matched")
                continue
            }
            #expect(failure.status == .notFound, "\(uri)")
        }
        guard case .failure(let badID) = match(.GET, "/rooms/a/transports/-1/stats") else {
            Issue.record("-1 matched")
            return
        }
        #expect(badID.status == .notFound && badID.response.error.contains("'-1' is not an id"))
        for room in ["a%20b", String(repeating: "x", count: 65), "caf%C3%A9"] {
            guard case .failure(let failure) = match(.GET, "/rooms/\(room)/stats") else {
                Issue.record("\(room) matched")
                continue
            }
            #expect(failure.status == .badRequest, "\(room)")
        }
    }
}
