import ControlAPI
import Engine

/// One blocking method per route of docs/control-api.md (async callers use
/// `send(.route(...))` with the same names on `EngineRequest`).
extension EngineClient {
    public func health() throws(EngineClientError) -> HealthResponse { try call(.health) }

    /// Prometheus text exposition.
    public func metrics() throws(EngineClientError) -> String { try call(.metrics) }

    public func capabilities() throws(EngineClientError) -> CapabilitiesResponse { try call(.capabilities) }

    /// Creates a transport in `room` (the room is created when it does not exist): plain by
    /// default; `webrtc` answers with `iceParameters`, `iceCandidates` and `dtlsParameters`.
    public func createTransport(room: String, type: TransportType = .plain, protocol: TransportProtocol = .udp,
                                comedia: Bool = true) throws(EngineClientError) -> TransportInfo {
        try call(.createTransport(room: room, CreateTransportRequest(type: type, protocol: `protocol`, comedia: comedia)))
    }

    /// Sets the remote address of a plain transport created with `comedia: false`.
    public func connectTransport(room: String, transport: Int, ip: String, port: UInt16) throws(EngineClientError) {
        _ = try call(.connectTransport(room: room, transport: transport, ConnectTransportRequest(ip: ip, port: port)))
    }

    /// Connects a webrtc transport: the client's DTLS role and certificate fingerprints.
    public func connectTransport(room: String, transport: Int, dtlsParameters: DTLSParameters) throws(EngineClientError) {
        _ = try call(.connectTransport(room: room, transport: transport, ConnectTransportRequest(dtlsParameters: dtlsParameters)))
    }

    public func transportStats(room: String, transport: Int) throws(EngineClientError) -> TransportStats {
        try call(.transportStats(room: room, transport: transport))
    }

    public func closeTransport(room: String, transport: Int) throws(EngineClientError) {
        _ = try call(.closeTransport(room: room, transport: transport))
    }

    /// Starts a producer on `transport`; returns its id.
    public func produce(room: String, transport: Int, _ options: ProducerOptions) throws(EngineClientError) -> Int {
        try call(.produce(room: room, transport: transport, ProduceRequest(options))).id
    }

    public func pauseProducer(room: String, producer: Int) throws(EngineClientError) {
        _ = try call(.pauseProducer(room: room, producer: producer))
    }

    public func resumeProducer(room: String, producer: Int) throws(EngineClientError) {
        _ = try call(.resumeProducer(room: room, producer: producer))
    }

    /// Binds new SSRCs to a producer whose publisher replaced its source (a device switch).
    public func replaceProducerSource(room: String, producer: Int, encodings: [ProducerEncoding]) throws(EngineClientError) {
        _ = try call(.replaceProducerSource(room: room, producer: producer, encodings: encodings))
    }

    public func closeProducer(room: String, producer: Int) throws(EngineClientError) {
        _ = try call(.closeProducer(room: room, producer: producer))
    }

    /// Starts a consumer of `options.producer` on `transport`.
    public func consume(room: String, transport: Int, _ options: ConsumerOptions) throws(EngineClientError) -> ConsumerInfo {
        try call(.consume(room: room, transport: transport, ConsumeRequest(options)))
    }

    public func consumerStats(room: String, consumer: Int) throws(EngineClientError) -> ConsumerStats {
        try call(.consumerStats(room: room, consumer: consumer))
    }

    public func pauseConsumer(room: String, consumer: Int) throws(EngineClientError) {
        _ = try call(.pauseConsumer(room: room, consumer: consumer))
    }

    public func resumeConsumer(room: String, consumer: Int) throws(EngineClientError) {
        _ = try call(.resumeConsumer(room: room, consumer: consumer))
    }

    public func requestKeyFrame(room: String, consumer: Int) throws(EngineClientError) {
        _ = try call(.requestKeyFrame(room: room, consumer: consumer))
    }

    public func setPreferredLayers(room: String, consumer: Int, _ layers: ConsumerLayers) throws(EngineClientError) {
        _ = try call(.setPreferredLayers(room: room, consumer: consumer, layers))
    }

    public func setPriority(room: String, consumer: Int, _ priority: Int) throws(EngineClientError) {
        _ = try call(.setPriority(room: room, consumer: consumer, priority))
    }

    public func closeConsumer(room: String, consumer: Int) throws(EngineClientError) {
        _ = try call(.closeConsumer(room: room, consumer: consumer))
    }

    public func roomStats(room: String) throws(EngineClientError) -> RoomStats { try call(.roomStats(room: room)) }

    /// The room's producers with their encodings, pause state and consumers.
    public func listProducers(room: String) throws(EngineClientError) -> ProducerList { try call(.listProducers(room: room)) }

    /// The room's consumers with their current layers, in one request.
    public func listConsumers(room: String) throws(EngineClientError) -> ConsumerList { try call(.listConsumers(room: room)) }

    /// Starts a tap that sends the room's accepted producer media and events to `ip:port` (UDP).
    public func createTap(room: String, ip: String, port: UInt16) throws(EngineClientError) -> TapInfo {
        try call(.createTap(room: room, CreateTapRequest(ip: ip, port: port)))
    }

    public func listTaps(room: String) throws(EngineClientError) -> TapList { try call(.listTaps(room: room)) }

    /// Stops a tap; returns its final counts.
    @discardableResult
    public func closeTap(room: String, tap: Int) throws(EngineClientError) -> TapStats { try call(.closeTap(room: room, tap: tap)) }

    /// Closes the room, its transports and their ports.
    public func closeRoom(room: String) throws(EngineClientError) {
        _ = try call(.closeRoom(room: room))
    }
}
