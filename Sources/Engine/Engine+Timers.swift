extension Engine {
    /// Creates an audio-level observer (mediasoup `router.createAudioLevelObserver`).
    public func createAudioLevelObserver(_ options: AudioLevelObserver.Options = .init(), now: Instant) -> ObserverID {
        let id = ObserverID(rawValue: nextObserverID)
        nextObserverID += 1
        let observer = AudioLevelObserver(id: id, options: options)
        observer.nextReportAt = now + options.interval
        observers[id.rawValue] = observer
        return id
    }

    /// Adds an audio producer to an observer.
    public func addProducer(_ producer: ProducerID, toObserver observer: ObserverID) throws(ControlError) {
        _ = try self.producer(producer)
        guard let target = observers[observer.rawValue] else { throw .invalidParameters("no observer \(observer)") }
        target.add(producer: producer)
    }

    /// Creates an active-speaker observer (mediasoup `router.createActiveSpeakerObserver`).
    public func createActiveSpeakerObserver(_ options: ActiveSpeakerObserver.Options = .init(), now: Instant) -> ObserverID {
        let id = ObserverID(rawValue: nextObserverID)
        nextObserverID += 1
        let observer = ActiveSpeakerObserver(id: id, options: options)
        observer.nextDecisionAt = now + options.interval
        speakerObservers[id.rawValue] = observer
        return id
    }

    /// Adds an audio producer to an active-speaker observer.
    public func addProducer(_ producer: ProducerID, toSpeakerObserver observer: ObserverID) throws(ControlError) {
        guard try self.producer(producer).kind == .audio else { throw .invalidParameters("\(producer) is not audio") }
        guard let target = speakerObservers[observer.rawValue] else { throw .invalidParameters("no active-speaker observer \(observer)") }
        target.add(producer: producer)
    }

    /// When `handleTimeout` must be called next, if anything is scheduled.
    public func nextDeadline() -> Instant? {
        var earliest = nextReportAt
        func consider(_ candidate: Instant?) {
            guard let candidate else { return }
            if earliest == nil || candidate < earliest! { earliest = candidate }
        }
        consider(nextAllocationAt)
        consider(nextActivityCheckAt)
        consider(congestionDeadline())
        if streamTimersChanged {
            streamTimersChanged = false
            refreshStreamTimersDeadline()
        }
        consider(streamTimersDeadline)
        if !observers.isEmpty {
            for observer in observers.values { consider(observer.nextReportAt) }
        }
        if !speakerObservers.isEmpty {
            for observer in speakerObservers.values { consider(observer.nextDecisionAt) }
        }
        return earliest
    }

    /// Brings `streamTimersDeadline`, the earliest timer over every stream of every open producer,
    /// up to date. Each stream's own deadline is cached and recomputed only after its NACK or
    /// key-frame state changed; a recomputed deadline before the earliest replaces it, and every
    /// slot is compared again only when the earliest may have moved later: a recomputed slot that
    /// held it changed, or the slot holding it was cleared (its producer closed). The result is
    /// the minimum over all slots, as comparing them all every time gave it.
    private func refreshStreamTimersDeadline() {
        var earliest = streamTimersDeadline
        var slot = streamTimersDeadlineSlot
        // Checked before the stale slots change: the holder cleared, or no holder for a deadline.
        var needsRescan = slot.map { streamTimerDeadlines[$0] != earliest } ?? (earliest != nil)
        if !staleStreamTimers.isEmpty {
            staleStreamTimers.drain { index in
                guard let stream = streamsByTimerIndex[index] else { return }
                let previous = streamTimerDeadlines[index]
                let deadline = stream.refreshedTimerDeadline()
                streamTimerDeadlines[index] = deadline
                if let deadline, earliest.map({ deadline < $0 }) ?? true {
                    earliest = deadline
                    slot = index
                } else if previous != nil, previous == earliest, deadline != previous {
                    needsRescan = true
                }
            }
        }
        if needsRescan {
            earliest = nil
            slot = nil
            for index in streamTimerDeadlines.indices {
                guard let candidate = streamTimerDeadlines[index], earliest.map({ candidate < $0 }) ?? true else { continue }
                earliest = candidate
                slot = index
            }
        }
        streamTimersDeadline = earliest
        streamTimersDeadlineSlot = slot
    }

    /// Runs everything due at `now`: NACK retries, key-frame request retries, RTCP reports,
    /// bandwidth allocation, observers.
    public func handleTimeout(now: Instant) {
        output.rewindIfDrained()
        // The cached stream deadline is never later than the true one (whatever brings a stream
        // timer forward sets `streamTimersChanged`), so when it is valid and still ahead, no
        // stream has anything due and the scan is skipped.
        let streamsMayBeDue = streamTimersChanged || streamTimersDeadline.map { $0 <= now } ?? false
        streamTimersChanged = true
        checkStreamActivity(now: now)
        if streamsMayBeDue {
            scanStreamTimers(now: now)
        }
        if nextReportAt == nil || nextReportAt! <= now {
            sendReports(now: now)
            // RFC 3550 §6.3.5: randomise the interval (0.5...1.5 x) to avoid synchronisation.
            let base = Double(profile.feedback.rtcp.maxVideoInterval) * (0.5 + random.nextUnit())
            nextReportAt = now + .milliseconds(Int64(base))
        }
        handleCongestionTimeout(now: now)
        if nextAllocationAt == nil || nextAllocationAt! <= now {
            for transport in transports { allocate(transport: transport, now: now) }
            nextAllocationAt = now + .seconds(1)
        }
        if !observers.isEmpty { runAudioLevelObservers(now: now) }
        if !speakerObservers.isEmpty { runSpeakerObservers(now: now) }
    }

    private func runAudioLevelObservers(now: Instant) {
        for observer in observers.values.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            guard let due = observer.nextReportAt, due <= now else { continue }
            let levels = observer.producers.compactMap { id -> (ProducerID, sum: Int, count: Int)? in
                guard let producer = producers[id.rawValue] else { return nil }
                defer {
                    producer.audioLevelSum = 0
                    producer.audioLevelCount = 0
                }
                return (id, producer.audioLevelSum, producer.audioLevelCount)
            }
            if let event = observer.report(levels: levels) { emit(event) }
            observer.nextReportAt = now + observer.options.interval
        }
    }

    private func runSpeakerObservers(now: Instant) {
        for observer in speakerObservers.values.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            guard let due = observer.nextDecisionAt, due <= now else { continue }
            if let event = observer.decide() { emit(event) }
            observer.nextDecisionAt = now + observer.options.interval
        }
    }

    /// The NACK retries and key-frame request retries due at `now`, over every producer stream.
    private func scanStreamTimers(now: Instant) {
        for producer in producerList {
            for stream in producer.streams {
                if let due = stream.nack.nextDeadline(), due <= now {
                    let (nack, giveUp) = stream.nack.due(now: now)
                    if !nack.isEmpty { sendNack(nack, stream: stream, producer: producer) }
                    if giveUp { requestKeyFrame(producer: producer, stream: stream, now: now) }
                }
                if stream.keyFrames.handleTimeout(now: now) { sendKeyFrameRequest(producer: producer, stream: stream) }
            }
        }
    }
}
