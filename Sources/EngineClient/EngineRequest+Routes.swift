import ControlAPI
import Engine
import Foundation

/// One constructor per route of docs/control-api.md.
extension EngineRequest where Response == HealthResponse {
    /// `GET /health`.
    public static var health: Self { .init(.GET, "/health") }
}

extension EngineRequest where Response == String {
    /// `GET /metrics`: Prometheus text exposition.
    public static var metrics: Self {
        .init(method: .GET, path: "/metrics", body: nil) { String(decoding: $0, as: UTF8.self) }
    }
}

extension EngineRequest where Response == CapabilitiesResponse {
    /// `GET /capabilities`.
    public static var capabilities: Self { .init(.GET, "/capabilities") }
}

extension EngineRequest where Response == TransportInfo {
    /// `POST /rooms/{room}/transports`.
    public static func createTransport(room: String, _ request: CreateTransportRequest = .init()) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "transports"), json: request)
    }
}

extension EngineRequest where Response == TransportStats {
    /// `GET /rooms/{room}/transports/{id}/stats`.
    public static func transportStats(room: String, transport: Int) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "transports", String(transport), "stats"))
    }
}

extension EngineRequest where Response == ProducerInfo {
    /// `POST /rooms/{room}/transports/{id}/producers`.
    public static func produce(room: String, transport: Int, _ request: ProduceRequest) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "transports", String(transport), "producers"), json: request)
    }
}

extension EngineRequest where Response == ConsumerInfo {
    /// `POST /rooms/{room}/transports/{id}/consumers`.
    public static func consume(room: String, transport: Int, _ request: ConsumeRequest) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "transports", String(transport), "consumers"), json: request)
    }
}

extension EngineRequest where Response == ConsumerStats {
    /// `GET /rooms/{room}/consumers/{id}`.
    public static func consumerStats(room: String, consumer: Int) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "consumers", String(consumer)))
    }
}

extension EngineRequest where Response == RoomStats {
    /// `GET /rooms/{room}/stats`.
    public static func roomStats(room: String) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "stats"))
    }
}

extension EngineRequest where Response == EmptyResponse {
    /// `POST /rooms/{room}/transports/{id}/connect`.
    public static func connectTransport(room: String, transport: Int, _ request: ConnectTransportRequest) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "transports", String(transport), "connect"), json: request)
    }

    /// `DELETE /rooms/{room}/transports/{id}`.
    public static func closeTransport(room: String, transport: Int) -> Self {
        .init(.DELETE, RequestPath.make("rooms", room, "transports", String(transport)))
    }

    /// `POST /rooms/{room}/producers/{id}/pause`.
    public static func pauseProducer(room: String, producer: Int) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "producers", String(producer), "pause"))
    }

    /// `POST /rooms/{room}/producers/{id}/resume`.
    public static func resumeProducer(room: String, producer: Int) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "producers", String(producer), "resume"))
    }

    /// `DELETE /rooms/{room}/producers/{id}`.
    public static func closeProducer(room: String, producer: Int) -> Self {
        .init(.DELETE, RequestPath.make("rooms", room, "producers", String(producer)))
    }

    /// `POST /rooms/{room}/consumers/{id}/pause`.
    public static func pauseConsumer(room: String, consumer: Int) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "consumers", String(consumer), "pause"))
    }

    /// `POST /rooms/{room}/consumers/{id}/resume`.
    public static func resumeConsumer(room: String, consumer: Int) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "consumers", String(consumer), "resume"))
    }

    /// `POST /rooms/{room}/consumers/{id}/request-key-frame`.
    public static func requestKeyFrame(room: String, consumer: Int) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "consumers", String(consumer), "request-key-frame"))
    }

    /// `PUT /rooms/{room}/consumers/{id}/preferred-layers`.
    public static func setPreferredLayers(room: String, consumer: Int, _ layers: ConsumerLayers) -> Self {
        .init(.PUT, RequestPath.make("rooms", room, "consumers", String(consumer), "preferred-layers"), json: layers)
    }

    /// `PUT /rooms/{room}/consumers/{id}/priority`.
    public static func setPriority(room: String, consumer: Int, _ priority: Int) -> Self {
        .init(.PUT, RequestPath.make("rooms", room, "consumers", String(consumer), "priority"), json: PriorityRequest(priority: priority))
    }

    /// `PUT /rooms/{room}/producers/{id}/source`: new SSRCs after the publisher replaced its source.
    public static func replaceProducerSource(room: String, producer: Int, encodings: [ProducerEncoding]) -> Self {
        .init(.PUT, RequestPath.make("rooms", room, "producers", String(producer), "source"),
              json: ReplaceSourceRequest(encodings: encodings))
    }

    /// `DELETE /rooms/{room}/consumers/{id}`.
    public static func closeConsumer(room: String, consumer: Int) -> Self {
        .init(.DELETE, RequestPath.make("rooms", room, "consumers", String(consumer)))
    }

    /// `DELETE /rooms/{room}`.
    public static func closeRoom(room: String) -> Self {
        .init(.DELETE, RequestPath.make("rooms", room))
    }
}

extension EngineRequest where Response == ProducerList {
    /// `GET /rooms/{room}/producers`.
    public static func listProducers(room: String) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "producers"))
    }
}

extension EngineRequest where Response == ConsumerList {
    /// `GET /rooms/{room}/consumers`.
    public static func listConsumers(room: String) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "consumers"))
    }
}

extension EngineRequest where Response == TapInfo {
    /// `POST /rooms/{room}/taps`.
    public static func createTap(room: String, _ request: CreateTapRequest) -> Self {
        .init(.POST, RequestPath.make("rooms", room, "taps"), json: request)
    }
}

extension EngineRequest where Response == TapList {
    /// `GET /rooms/{room}/taps`.
    public static func listTaps(room: String) -> Self {
        .init(.GET, RequestPath.make("rooms", room, "taps"))
    }
}

extension EngineRequest where Response == TapStats {
    /// `DELETE /rooms/{room}/taps/{id}`: answers with the tap's final counts.
    public static func closeTap(room: String, tap: Int) -> Self {
        .init(.DELETE, RequestPath.make("rooms", room, "taps", String(tap)))
    }
}
