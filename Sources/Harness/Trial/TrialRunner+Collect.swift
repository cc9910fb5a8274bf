import Engine

extension TrialRunner {
    /// Turns what the participants, links and engine did into the trial's metrics and series.
    func collect(world: TrialWorld, measurements: MeasurementCollector, layers: LayerTracker, estimate: TimeSeries,
                 spec: TrialSpec, simulated end: Instant) -> TrialResult {
        let counters = world.engine.counters
        // The same names live mode reads from `GET /rooms/{room}/stats` (`EngineFigures`).
        var engineFigures: [String: Double] = ["engine.packetsDropped": Double(counters.totalDropped)]
        for (name, value) in counters.named { engineFigures["engine.\(name)"] = Double(value) }
        for reason in DropReason.allCases where counters.dropped(reason) > 0 {
            engineFigures["engine.drops.\(reason)"] = Double(counters.dropped(reason))
        }
        return Self.collect(participants: world.participants, receivedBytes: world.receivedBytes,
                            uplinks: world.uplinks.indices.map { world.uplinks[$0].counters },
                            downlinks: world.downlinks.indices.map { world.downlinks[$0].counters },
                            engine: engineFigures,
                            measurements: measurements, layers: layers, estimate: estimate, spec: spec, end: end, mode: "simulated")
    }

    /// The same for either mode: `engine` holds the engine's own figures (its counters in
    /// simulated mode, the server's room statistics in live mode), added to the metrics as they are.
    static func collect(participants: [SimulatedParticipant], receivedBytes: [BitrateMeter], uplinks: [LinkCounters], downlinks: [LinkCounters],
                        engine: [String: Double], measurements: MeasurementCollector, layers: LayerTracker,
                        estimate: TimeSeries, spec: TrialSpec, end: Instant, mode: String) -> TrialResult {
        var metrics = measurements.finish()
        var receivedSeries: [Double: Double] = [:]
        for (index, participant) in participants.enumerated() {
            for stream in participant.streams {
                let counts = stream.lossAfterRecovery
                metrics.packetsExpected += Int(counts.expected)
                metrics.packetsLostAfterRecovery += Int(max(0, counts.expected - counts.received))
                if stream.statistics.packetsReceived > 1 { metrics.jitter.record(milliseconds: stream.statistics.jitterMilliseconds) }
            }
            var meter = receivedBytes[index]
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
        metrics.extra.merge(engine) { _, new in new }
        metrics.extra["network.lostPackets"] = Double((uplinks + downlinks).reduce(0) { $0 + $1.droppedByLoss + $1.droppedByQueue })
        // Where the network lost them: a bottleneck queue overflowing on the way to the engine or from it.
        metrics.extra["network.uplinkQueueDrops"] = Double(uplinks.reduce(0) { $0 + $1.droppedByQueue })
        metrics.extra["network.downlinkQueueDrops"] = Double(downlinks.reduce(0) { $0 + $1.droppedByQueue })
        let retransmissions = participants.reduce(into: SentPacketHistory.Counts()) {
            $0.sent += $1.publisherRetransmissions.sent
            $0.suppressed += $1.publisherRetransmissions.suppressed
        }
        metrics.extra["publisher.retransmissionsSent"] = Double(retransmissions.sent)
        metrics.extra["publisher.retransmissionsHeldBack"] = Double(retransmissions.suppressed)
        let paused = participants.reduce(PausedEncodingRequests()) { $0 + $1.pausedRequests }
        metrics.extra["publisher.keyFrameRequestsWhilePaused"] = Double(paused.whilePaused)
        metrics.extra["publisher.keyFrameRequestsLongAfterPause"] = Double(paused.afterSettling)
        metrics.extra["videoFramesDecoded"] = Double(measurements.videoFramesDecoded)
        metrics.extra["participants"] = Double(participants.count)

        var series = metrics.series
        series["bandwidthEstimate"] = estimate.points
        series["spatialLayer"] = layers.series.points
        series["receivedBitrate"] = receivedSeries.keys.sorted().map { SeriesPoint(t: $0, value: receivedSeries[$0]!) }
        return TrialResult(metrics: metrics.flattened(), series: series, simulatedSeconds: end.seconds,
                           wallSeconds: 0, mode: mode)
    }
}
