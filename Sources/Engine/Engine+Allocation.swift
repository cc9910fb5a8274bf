extension Engine {
    /// Distributes a transport's available outgoing bitrate across its simulcast and SVC consumers by
    /// priority, with mediasoup's semantics: every consumer first gets its lowest layer if it
    /// fits; then, round after round, each consumer may step up `priority` layers while the
    /// budget lasts, never above its preferred layers. Audio and single-stream consumers are
    /// charged first at their measured rate. See docs/bitrate-allocation.md.
    func allocate(transport: Transport, now: Instant?) {
        let now = now ?? .zero
        transport.allocatedWithBitrate = transport.availableOutgoingBitrate
        var budget = transport.availableOutgoingBitrate.bitsPerSecond
        // The layered consumers with their sort keys and what each is assigned and spends: one
        // array, allocated once per call at its final size. Consumers are held unretained (the
        // transport's list keeps them alive for the whole call), so filling, sorting and reading
        // the list costs no reference counting, as on the forwarding path.
        var layered: [(consumer: Unmanaged<Consumer>, priority: Int, id: Int, assigned: ConsumerLayers?, spent: Int64)] = []
        let consumers = transport.consumers
        layered.reserveCapacity(consumers.count)
        var desired: Int64 = 0
        for index in consumers.indices {
            let reference = Unmanaged.passUnretained(consumers[index])
            reference._withUnsafeGuaranteedRef { consumer in
                guard consumer.isActive else { return }
                Unmanaged.passUnretained(consumer.producer)._withUnsafeGuaranteedRef { producer in
                    if producer.isSVC {
                        layered.append((reference, consumer.priority, consumer.id.rawValue, nil, 0))
                        // SVC: the one stream up to the preferred spatial layer, every temporal layer.
                        desired += Self.withStream(0, of: producer) {
                            $0.bitrate(upToSpatial: consumer.preferredLayers.spatialLayer,
                                       upToTemporal: producer.highestTemporalLayer, now: now).bitsPerSecond
                        }
                    } else if producer.isSimulcast {
                        layered.append((reference, consumer.priority, consumer.id.rawValue, nil, 0))
                        // What the consumer would take at its preferred layers (highest sending
                        // stream); a loop, not `map(_:).max()`, which built an array per consumer.
                        var highest: Int64?
                        for stream in 0..<min(producer.streams.count, consumer.preferredLayers.spatialLayer + 1) {
                            let rate = Self.withStream(stream, of: producer) { $0.bitrate(upToTemporal: 2, now: now).bitsPerSecond }
                            if highest.map({ rate > $0 }) ?? true { highest = rate }
                        }
                        desired += highest ?? 0
                    } else {
                        let cost = Self.withStream(0, of: producer) { $0.bitrate(upToTemporal: 2, now: now).bitsPerSecond }
                        budget -= cost
                        desired += cost
                    }
                }
            }
        }
        // The prober needs to know what could be spent (probing above it only loads the path).
        transport.estimator.setDesiredBitrate(Bitrate(bitsPerSecond: desired))
        guard !layered.isEmpty else { return }
        layered.sort { $0.priority != $1.priority ? $0.priority > $1.priority : $0.id < $1.id }

        // Base layer for everyone, highest priority first.
        for index in layered.indices {
            layered[index].consumer._withUnsafeGuaranteedRef { consumer in
                guard let base = nextLayer(after: nil, for: consumer, now: now) else { return }
                let cost = self.cost(of: base, consumer: consumer, now: now)
                if cost <= budget {
                    layered[index].assigned = base
                    layered[index].spent = cost
                    budget -= cost
                }
            }
        }
        // Upgrade rounds: priority = steps per round.
        var progressed = true
        while progressed {
            progressed = false
            for index in layered.indices where layered[index].assigned != nil {
                layered[index].consumer._withUnsafeGuaranteedRef { consumer in
                    for _ in 0..<consumer.priority {
                        guard let next = nextLayer(after: layered[index].assigned, for: consumer, now: now) else { break }
                        let cost = self.cost(of: next, consumer: consumer, now: now)
                        // Hysteresis: going above what the consumer had needs headroom, so that
                        // measured rates moving by a few percent do not flap layers.
                        let isUpgrade = consumer.allowedLayers.map { Self.order(next) > Self.order($0) } ?? true
                        if isUpgrade, let downgraded = consumer.lastDowngradeAt,
                           now - downgraded < .milliseconds(profile.feedback.allocation.upgradeHold) { break }
                        let needed = isUpgrade ? Int64(Double(cost) * profile.feedback.allocation.upgradeHeadroom) : cost
                        guard needed - layered[index].spent <= budget else { break }
                        budget -= cost - layered[index].spent
                        layered[index].spent = cost
                        layered[index].assigned = next
                        progressed = true
                    }
                }
            }
        }
        for (reference, _, _, assigned, _) in layered {
            reference._withUnsafeGuaranteedRef { consumer in
                let previousTarget = consumer.targetLayers
                // A move down because the layer stopped arriving is not a budget downgrade: the
                // consumer may go back up as soon as it returns.
                if let before = consumer.allowedLayers, assigned.map({ Self.order($0) < Self.order(before) }) ?? true,
                   Self.isArriving(before.spatialLayer, of: consumer.producer) {
                    consumer.lastDowngradeAt = now
                }
                consumer.allowedLayers = assigned
                if consumer.targetLayers != previousTarget, let wanted = consumer.keyFrameWantedFromStream {
                    requestKeyFrame(producer: consumer.producer, stream: consumer.producer.streams[wanted], now: now)
                }
            }
        }
    }

    /// Calls `body` with stream `index` of `producer` through an unretained reference (a producer
    /// holds its streams for its whole life).
    @inline(__always)
    static func withStream<Result>(_ index: Int, of producer: Producer, _ body: (Producer.Stream) -> Result) -> Result {
        Unmanaged.passUnretained(producer.streams[index])._withUnsafeGuaranteedRef(body)
    }

    /// Position of a layer in the (spatial, temporal) order.
    static func order(_ layers: ConsumerLayers) -> Int {
        layers.spatialLayer * 16 + (layers.temporalLayer ?? 2)
    }

    /// Whether the stream carrying spatial layer `spatial` of `producer` is arriving (SVC: all
    /// layers travel in stream 0).
    static func isArriving(_ spatial: Int, of producer: Producer) -> Bool {
        producer.streams[producer.isSVC ? 0 : min(spatial, producer.streams.count - 1)].isReceiving
    }

    /// The next layer up from `current` in (spatial, temporal) order, within the consumer's
    /// preference and over streams that are arriving (never-seen and paused ones are skipped,
    /// like mediasoup's layers whose stream score is 0).
    private func nextLayer(after current: ConsumerLayers?, for consumer: Consumer, now: Instant) -> ConsumerLayers? {
        let preferred = consumer.preferredLayers
        var spatial = current?.spatialLayer ?? 0
        var temporal = current.map { ($0.temporalLayer ?? 0) + 1 } ?? 0
        let producer = consumer.producer
        let highestTemporal = producer.highestTemporalLayer
        while spatial <= preferred.spatialLayer {
            var usable = Self.isArriving(spatial, of: producer)
            // A simulcast stream that only just resumed is not taken above a lower one.
            if usable, !producer.isSVC, let current, spatial > current.spatialLayer,
               !producer.streams[spatial].hasBeenReceivingLongEnough(now: now) {
                usable = false
            }
            let maxTemporal = spatial == preferred.spatialLayer ? (preferred.temporalLayer ?? highestTemporal) : highestTemporal
            if usable && temporal <= maxTemporal {
                return ConsumerLayers(spatialLayer: spatial, temporalLayer: temporal)
            }
            spatial += 1
            temporal = 0
        }
        return nil
    }

    private func cost(of layers: ConsumerLayers, consumer: Consumer, now: Instant) -> Int64 {
        if consumer.producer.isSVC {
            return consumer.producer.streams[0].bitrate(upToSpatial: layers.spatialLayer,
                                                        upToTemporal: layers.temporalLayer ?? 2, now: now).bitsPerSecond
        }
        return consumer.producer.streams[layers.spatialLayer]
            .bitrate(upToTemporal: layers.temporalLayer ?? 2, now: now).bitsPerSecond
    }
}
