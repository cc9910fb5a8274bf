import Engine

/// Simulated mode: the trial signals the engine directly, in virtual time.
extension Engine: SessionControl {
    public func createTransport(for participant: Endpoint) -> (id: TransportID, local: Endpoint) {
        createTransport(remote: participant)
    }
}
