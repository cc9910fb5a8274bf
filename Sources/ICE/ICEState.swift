/// The connectivity state of an ICE agent.
///
/// The lite agent uses mediasoup's `iceState` values: ``new`` → ``connected`` (a valid request
/// arrived) → ``completed`` (a request nominated a tuple), ``disconnected`` when consent expires,
/// ``closed`` after `close()`. The controlling checker goes ``new`` → ``checking`` →
/// ``completed`` (its nominating check succeeded), then ``disconnected`` when consent is lost or
/// ``failed`` when the checks run out of retransmissions.
public enum ICEState: String, Hashable, Sendable, CaseIterable, Codable {
    case new
    case checking
    case connected
    case completed
    case disconnected
    case failed
    case closed
}

/// Something an ICE agent tells its owner, drained through `poll()`.
public enum ICEEvent: Hashable, Sendable {
    /// The agent's state changed to the given one.
    case stateChanged(ICEState)
    /// The tuple that media must use changed (nil: none any more). mediasoup's
    /// `iceselectedtuplechange`.
    case selectedTupleChanged(ICETransportTuple?)
}

/// A datagram an ICE agent wants sent: `bytes` from `tuple.local` to `tuple.remote`.
public struct ICETransmit: Hashable, Sendable {
    public var tuple: ICETransportTuple
    public var bytes: [UInt8]

    public init(tuple: ICETransportTuple, bytes: [UInt8]) {
        self.tuple = tuple
        self.bytes = bytes
    }
}

/// What `poll()` returns: a datagram to send or an event.
public enum ICEOutput: Hashable, Sendable {
    case transmit(ICETransmit)
    case event(ICEEvent)
}
