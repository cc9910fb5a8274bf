import Engine

/// The signalling a trial needs from an engine: what a signalling server does for the
/// participants before and during a session (mediasoup's `createWebRtcTransport`, `produce`,
/// `consume`, `pause`/`resume`). The same session-setup code serves both run modes:
///
/// - simulated mode hands it the `Engine` itself (`Engine+SessionControl.swift`), called
///   in virtual time;
/// - live mode hands it a client of the engine server's control API (docs/control-api.md,
///   docs/live-mode.md), which creates real transports with real sockets behind them.
///
/// Calls that return something (transports, producers, consumers) are made while the session is
/// set up, before the trial clock starts. Errors carry a description naming what failed.
public protocol SessionControl: AnyObject {
    /// The router's codecs with their payload types.
    var capabilities: RouterCapabilities { get }

    /// Creates a transport for the participant whose side of it is `participant` (a label in
    /// the participant's address space), and returns the engine's side: the endpoint the
    /// participant sends to and hears from.
    func createTransport(for participant: Endpoint) throws -> (id: TransportID, local: Endpoint)

    /// Creates a producer on `transport`.
    func produce(on transport: TransportID, _ options: ProducerOptions) throws -> ProducerID

    /// Creates a consumer of a producer on `transport`; returns what the subscriber needs to receive it.
    func consume(on transport: TransportID, _ options: ConsumerOptions) throws -> (ConsumerID, ConsumerParameters)

    /// Pauses a producer (mediasoup `producer.pause()`).
    func pauseProducer(_ id: ProducerID) throws

    /// Resumes a producer at session time `now`; its video consumers restart at a key frame.
    func resumeProducer(_ id: ProducerID, now: Instant) throws

    /// Pauses a consumer (mediasoup `consumer.pause()`).
    func pauseConsumer(_ id: ConsumerID) throws

    /// Binds new SSRCs to a producer whose publisher replaces its source (a device switch):
    /// consumers keep one continuous stream and restart at the next key frame. The publisher
    /// switches only once `finish` says `.bound`: simulated mode calls it before returning, live
    /// mode on the load generator's event loop when the server answered or the deadline passed.
    func replaceProducerSource(_ id: ProducerID, encodings: [ProducerEncoding], now: Instant,
                               then finish: @escaping (SourceReplacementOutcome) -> Void)

    /// The congestion controller's current estimate for what the engine sends on `transport`.
    func availableOutgoingBitrate(_ transport: TransportID) throws -> Bitrate
}
