import Engine

/// Simulated mode: the trial signals the engine directly, in virtual time.
extension Engine: SessionControl {
    public func createTransport(for participant: Endpoint) -> (id: TransportID, local: Endpoint) {
        createTransport(remote: participant)
    }

    /// Binds the SSRCs at once, in virtual time; any refusal (`ControlError`, e.g. an SSRC in
    /// use on the transport) is `.refused`.
    public func replaceProducerSource(_ id: ProducerID, encodings: [ProducerEncoding], now: Instant,
                                      then finish: @escaping (SourceReplacementOutcome) -> Void) {
        do {
            try replaceProducerSource(id, encodings: encodings, now: now)
            finish(.bound(at: now))
        } catch {
            finish(.refused)
        }
    }
}
