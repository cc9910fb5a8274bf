import Engine

extension TrialRunner {
    /// Turns what the participants, links and engine did into the trial's metrics and series.
    func collect(world: TrialWorld, measurements: MeasurementCollector, layers: LayerTracker, estimate: TimeSeries,
                 spec: TrialSpec, simulated end: Instant) -> TrialResult {
        var metrics = measurements.finish()
        var receivedSeries: [Double: Double] = [:]
        for (index, participant) in world.participants.enumerated() {
            for stream in participant.streams {
                let counts = stream.lossAfterRecovery
                metrics.packetsExpected += Int(counts.expected)
                metrics.packetsLostAfterRecovery += Int(max(0, counts.expected - counts.received))
                if stream.statistics.packetsReceived > 1 { metrics.jitter.record(milliseconds: stream.statistics.jitterMilliseconds) }
            }
            var meter = world.receivedBytes[index]
            meter.advance(to: end)
            if !participant.streams.isEmpty { metrics.add(receivedBitrate: meter) }
            for point in meter.series { receivedSeries[point.t, default: 0] += point.value }
        }
        let (switches, consumers) = layers.finish(at: end)
        let minutes = spec.duration.secondsDouble / 60
        if consumers > 0 {
            metrics.extra["layerSwitchesPerMinute"] = Double(switches) / Double(consumers) / minutes
            let total = layers.timeOnLayer.values.reduce(Duration.zero, +)
            if total > .zero {
                for layer in 0..<spec.profile.producer.encodings.count {
                    metrics.extra["timeOnLayer.s\(layer)"] = (layers.timeOnLayer[layer] ?? .zero).secondsDouble / total.secondsDouble
                }
            }
        }
        let counters = world.engine.counters
        metrics.extra["engine.packetsForwarded"] = Double(counters.packetsForwarded)
        metrics.extra["engine.retransmissionsSent"] = Double(counters.retransmissionsSent)
        metrics.extra["engine.nacksSent"] = Double(counters.nacksSent)
        metrics.extra["engine.keyFrameRequestsSent"] = Double(counters.keyFrameRequestsSent)
        metrics.extra["engine.packetsDropped"] = Double(counters.totalDropped)
        metrics.extra["engine.holesFilledWithPadding"] = Double(counters.holesFilledWithPadding)
        metrics.extra["engine.probePacketsSent"] = Double(counters.probePacketsSent)
        let linkCounters = world.uplinks.indices.map { world.uplinks[$0].counters }
            + world.downlinks.indices.map { world.downlinks[$0].counters }
        metrics.extra["network.lostPackets"] = Double(linkCounters.reduce(0) { $0 + $1.droppedByLoss + $1.droppedByQueue + $1.droppedByCoDel })
        metrics.extra["videoFramesDecoded"] = Double(measurements.videoFramesDecoded)
        metrics.extra["participants"] = Double(world.participants.count)

        var series = metrics.series
        series["bandwidthEstimate"] = estimate.points
        series["spatialLayer"] = layers.series.points
        series["receivedBitrate"] = receivedSeries.keys.sorted().map { SeriesPoint(t: $0, value: receivedSeries[$0]!) }
        return TrialResult(metrics: metrics.flattened(), series: series, simulatedSeconds: end.seconds,
                           wallSeconds: 0, mode: "simulated")
    }
}
