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
    /// `window` in nanoseconds: delays and ages are compared as whole nanoseconds (instants are
    /// whole nanoseconds, so the results are those of `Duration` arithmetic, at less cost).
    private let windowNanoseconds: Int64
    /// The current bucket's start and least delay (ns), and the previous bucket's.
    private var current: (start: Instant, minimum: Int64)?
    private var previous: Int64?

    public init(window: Duration = .seconds(10)) {
        self.window = window
        windowNanoseconds = window.nanoseconds
    }

    /// The base delay, once a packet was seen.
    public var value: Duration? {
        guard let current else { return nil }
        return .nanoseconds(previous.map { Swift.min($0, current.minimum) } ?? current.minimum)
    }

    /// Adds a received packet.
    public mutating func add(sentAt: Instant, arrivedAt: Instant) {
        let delay = arrivedAt.nanoseconds &- sentAt.nanoseconds
        guard var bucket = current, arrivedAt.nanoseconds &- bucket.start.nanoseconds < windowNanoseconds else {
            previous = current?.minimum
            current = (arrivedAt, delay)
            return
        }
        bucket.minimum = Swift.min(bucket.minimum, delay)
        current = bucket
    }
}
