import Engine

/// How a source replacement asked of the engine ended (`SessionControl.replaceProducerSource`).
public enum SourceReplacementOutcome: Sendable, Hashable {
    /// The engine bound the new SSRCs; the publisher switches at this session time, so no packet
    /// with a new SSRC reaches the engine before it knows it.
    case bound(at: Instant)
    /// The engine refused these SSRCs (one is in use on the transport): other SSRCs may do.
    case refused
    /// Anything else (an error, or no answer before the deadline): the publisher keeps its source.
    case failed
}
