/// Debounces key-frame requests towards one producer stream (mediasoup `KeyFrameRequestManager`).
///
/// A request while one is pending is absorbed; a pending request is sent again after
/// `retransmissionWait` if no key frame arrived; with `keyFrameRequestDelay` > 0 requests are
/// held that long and merged first.
struct KeyFrameRequestManager {
    let delay: Duration
    let retransmissionWait: Duration
    private var pendingSince: Instant?
    private var lastSent: Instant?
    private var delayedUntil: Instant?

    /// Requests sent upstream and requests absorbed by debouncing.
    private(set) var sentCount = 0
    private(set) var absorbedCount = 0

    init(delay: Duration, retransmissionWait: Duration) {
        self.delay = delay
        self.retransmissionWait = retransmissionWait
    }

    /// A consumer (or the NACK generator) wants a key frame. Returns true when a request should go
    /// upstream now.
    mutating func request(now: Instant) -> Bool {
        if pendingSince != nil || delayedUntil != nil {
            absorbedCount += 1
            return false
        }
        if delay > .zero {
            delayedUntil = now + delay
            return false
        }
        return send(now: now)
    }

    /// A key frame arrived: nothing is pending any more.
    mutating func keyFrameReceived() {
        pendingSince = nil
        delayedUntil = nil
    }

    /// The stream stopped arriving: forget pending and delayed requests (nothing is repeated
    /// until a consumer asks again).
    mutating func cancel() {
        pendingSince = nil
        delayedUntil = nil
    }

    /// Whether a (delayed or repeated) request is due at `now`.
    mutating func handleTimeout(now: Instant) -> Bool {
        if let until = delayedUntil, now >= until {
            delayedUntil = nil
            return send(now: now)
        }
        if pendingSince != nil, let last = lastSent, now - last >= retransmissionWait {
            return send(now: now)
        }
        return false
    }

    func nextDeadline() -> Instant? {
        if let until = delayedUntil { return until }
        if pendingSince != nil, let last = lastSent { return last + retransmissionWait }
        return nil
    }

    private mutating func send(now: Instant) -> Bool {
        if pendingSince == nil { pendingSince = now }
        lastSent = now
        sentCount += 1
        return true
    }
}
