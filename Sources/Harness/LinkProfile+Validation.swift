/// A link profile value outside its range.
public struct LinkProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending field (`loss`, `queueBytes`, ...).
    public var field: String
    /// What is wrong and the accepted range.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "link profile field `\(field)`: \(message)" }
}

extension LinkProfile {
    /// Checks every field's range; the error names the field and the accepted range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ message: String) throws {
            if !ok { throw LinkProfileError(field: field, message: message) }
        }
        try check(delay.isFinite && delay >= 0, "delay", "must be ≥ 0 ms, got \(delay)")
        try check(jitter.isFinite && jitter >= 0, "jitter", "must be ≥ 0 ms, got \(jitter)")
        try check(loss.isFinite && (0...1).contains(loss), "loss", "must be a fraction in 0...1, got \(loss)")
        if let burst = lossBurst {
            try check(burst.isFinite && burst >= 1, "lossBurst", "must be ≥ 1 packet, got \(burst)")
            if burst > 1 && loss < 1 {
                try check(loss <= burst / (burst + 1), "loss",
                          "\(loss) is too high for mean burst length \(burst): Gilbert-Elliott needs loss ≤ L/(L+1) = \(burst / (burst + 1))")
            }
        }
        try check(duplication.isFinite && (0...1).contains(duplication), "duplication", "must be a fraction in 0...1, got \(duplication)")
        if let bandwidth {
            try check(bandwidth.isFinite && bandwidth > 0, "bandwidth", "must be > 0 kbps, got \(bandwidth)")
        }
        if let queueBytes {
            try check(queueBytes > 0, "queueBytes", "must be > 0 bytes, got \(queueBytes)")
        }
        if let queueDelay {
            try check(queueDelay.isFinite && queueDelay > 0, "queueDelay", "must be > 0 ms, got \(queueDelay)")
        }
    }
}
