import ControlAPI

/// The engine server's room statistics as trial metrics (docs/metrics.md, docs/live-mode.md):
/// its counters under `engine.*` (every engine counter, named as simulated mode names them), and its engine latency by stage (HdrHistogram percentiles the
/// server measured with the monotonic clock) as `engineLatency.*` (the `total` stage, the
/// DESIGN.md definition) and `engineLatency.<stage>.*`, in milliseconds like every latency.
enum EngineFigures {
    static func metrics(_ stats: RoomStats) -> [String: Double] {
        var figures: [String: Double] = [
            "engine.datagramsReceived": Double(stats.datagramsReceived),
            "engine.packetsForwarded": Double(stats.packetsForwarded),
            "engine.retransmissionsSent": Double(stats.retransmissionsSent),
            "engine.packetsDropped": Double(stats.drops.values.reduce(0, +)),
            "engine.worker": Double(stats.worker),
        ]
        for (name, value) in stats.counters ?? [:] { figures["engine.\(name)"] = Double(value) }
        for (reason, count) in stats.drops { figures["engine.drops.\(reason)"] = Double(count) }
        if let cpu = stats.cpuNanosecondsPerForwardedPacket { figures["engine.cpuNanosecondsPerForwardedPacket"] = cpu }
        for stage in stats.engineLatency {
            let prefix = stage.stage == "total" ? "engineLatency" : "engineLatency.\(stage.stage)"
            figures["\(prefix).count"] = Double(stage.count)
            guard stage.count > 0 else { continue }
            figures["\(prefix).p50"] = stage.p50Micros / 1_000
            figures["\(prefix).p90"] = stage.p90Micros / 1_000
            figures["\(prefix).p95"] = stage.p95Micros / 1_000
            figures["\(prefix).p99"] = stage.p99Micros / 1_000
            figures["\(prefix).max"] = stage.maxMicros / 1_000
        }
        return figures
    }
}
