import Engine

/// Follows the layers each simulcast consumer forwards (from the engine's
/// `consumerLayersChanged` events): spatial switches, time spent on each spatial layer, and
/// the mean spatial layer over time.
final class LayerTracker {
    private struct State {
        var spatial: Int?
        var since: Instant
        var switches = 0
    }

    private var consumers: [ConsumerID: State] = [:]
    private(set) var timeOnLayer: [Int: Duration] = [:]
    private(set) var series = TimeSeries(interval: .milliseconds(500))

    func handle(_ event: EngineEvent, now: Instant) {
        guard case .consumerLayersChanged(let consumer, let layers) = event else { return }
        var state = consumers[consumer] ?? State(spatial: nil, since: now)
        let spatial = layers?.spatialLayer
        if spatial != state.spatial {
            account(&state, until: now)
            if state.spatial != nil && spatial != nil { state.switches += 1 }
            state.spatial = spatial
        }
        consumers[consumer] = state
    }

    func sample(now: Instant) {
        let current = consumers.values.compactMap(\.spatial)
        guard !current.isEmpty else { return }
        series.record(Double(current.reduce(0, +)) / Double(current.count), at: now)
    }

    /// Closes the books at `end`; returns (switches, consumers seen).
    func finish(at end: Instant) -> (switches: Int, consumers: Int) {
        for key in consumers.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            var state = consumers[key]!
            account(&state, until: end)
            consumers[key] = state
        }
        return (consumers.values.reduce(0) { $0 + $1.switches }, consumers.count)
    }

    private func account(_ state: inout State, until now: Instant) {
        if let spatial = state.spatial { timeOnLayer[spatial, default: .zero] += now - state.since }
        state.since = now
    }
}
