/// The path's base one-way delay as the sender sees it in transport-cc feedback: the smallest
/// arrival-minus-send time of recent packets (the clock offset between the two ends is in it and
/// does not matter: only `send time + base` is used, on the receiver's clock). Windowed so a
/// route change is forgotten: the minimum over the current and the previous `window`.
///
/// `sentAt + value` is the earliest a packet could have arrived: without queuing and with the
/// least delivery delay seen. On a link that delivers in bunches a packet's actual arrival can be
/// far later; a probe's arrival span measured from there is too short (LEDBAT, RFC 6817 §3.4.2,
/// keeps base delays the same way).
public struct BaseDelayTracker: Sendable {
    /// Length of one bucket of the windowed minimum. Default 10 s.
    public let window: Duration
    private var current: (start: Instant, minimum: Duration)?
    private var previous: Duration?

    public init(window: Duration = .seconds(10)) {
        self.window = window
    }

    /// The base delay, once a packet was seen.
    public var value: Duration? {
        guard let current else { return nil }
        return previous.map { Swift.min($0, current.minimum) } ?? current.minimum
    }

    /// Adds a received packet.
    public mutating func add(sentAt: Instant, arrivedAt: Instant) {
        let delay = arrivedAt - sentAt
        guard var bucket = current, arrivedAt - bucket.start < window else {
            previous = current?.minimum
            current = (arrivedAt, delay)
            return
        }
        bucket.minimum = Swift.min(bucket.minimum, delay)
        current = bucket
    }
}
