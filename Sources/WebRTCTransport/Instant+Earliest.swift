import Engine

extension Instant {
    /// The earlier of two optional deadlines (nil when neither is set): how a security layer
    /// combines its ICE and DTLS timers into one `nextDeadline`.
    static func earliest(_ first: Instant?, _ second: Instant?) -> Instant? {
        switch (first, second) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b): return b
        }
    }
}
