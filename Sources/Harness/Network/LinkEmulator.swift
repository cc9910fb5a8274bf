import Engine

/// One direction of an emulated link, sans-IO: it is handed datagrams and the time, and says when
/// something comes out. It never reads a clock and draws randomness only from the generator it
/// was given, so the same inputs and seed give the same deliveries, bit for bit.
///
/// Pipeline for each datagram, in order (docs/network-emulation.md):
/// 1. loss (Bernoulli or Gilbert-Elliott), decided on arrival;
/// 2. duplication: a surviving packet is copied with probability `duplication`;
/// 3. bottleneck queue (droptail by bytes or by predicted sojourn time, or CoDel) served at a
///    constant rate or along a bandwidth trace; unlimited links skip it;
/// 4. propagation delay plus Gaussian jitter (clamped at zero extra delay); without `reorder`,
///    a packet never arrives before the one that left the bottleneck before it.
///
/// Drive it like any `TimeoutDriven` component: `send` when the sender transmits, and at
/// `nextDeadline()` call `poll(now:)` until it returns nil. A deadline can be internal (a packet
/// finishing transmission, a scheduled change), in which case `poll` returns nil. Work that
/// cannot change what comes out before the next deadline is done lazily, when the link is next
/// touched (`refreshDeadline`), so a link wakes about once per delivery. A droptail link without
/// sojourn limit, reordering or pending changes computes each packet's departure and delivery
/// as soon as it is sent (`servesAheadAllowed`).
public struct LinkEmulator<Payload>: TimeoutDriven {
    /// The profile currently in force (changes with the schedule).
    public private(set) var profile: LinkProfile
    /// What the link has done so far.
    public private(set) var counters = LinkCounters()
    /// Keep the payloads the link drops (loss, queue limits, CoDel) for `removeDroppedPayloads`,
    /// so that an owner managing payload storage (pooled buffers) can reclaim them. Off by default.
    public var keepsDroppedPayloads = false
    private var droppedPayloads: [Payload] = []

    private var lossRandom: SeededGenerator
    private var jitterRandom: SeededGenerator
    private var duplicationRandom: SeededGenerator
    private var loss: LossModel
    private var curve: ServiceCurve
    private var codel = CoDelController()
    private var queue = PacketFIFO<LinkPacket<Payload>>(capacity: 256)
    private var inService: LinkPacket<Payload>?
    /// The packet in service already has its delivery in `inFlight` (computed when its service
    /// started, see `beginService`).
    private var inServiceDeparted = false
    private var freeAt: Instant
    private var levelAtFree: Double = 0
    private var inFlight = DeliveryQueue<LinkPacket<Payload>>(capacity: 256)
    /// Whether admitted packets are served ahead of time (`enqueueAhead`): their departures and
    /// deliveries computed on arrival, with only their departure times kept in `ahead`. Set once
    /// `servesAheadAllowed` holds and the bottleneck's queue is empty.
    private var servesAhead = false
    /// Departure times and sizes of the packets served ahead that have not left the bottleneck
    /// by `clock` (what `queue` and `inService` hold otherwise).
    private var ahead = DepartureRing(capacity: 64)
    private var lastDeliveryTime: Instant
    private var sequence: UInt64 = 0
    private var changes: [LinkChange]
    private var nextChangeIndex = 0
    private var traces: [String: BandwidthTrace]
    private var traceDirectory: String?
    private var clock: Instant
    /// `nextDeadline()`, kept up to date by `refreshDeadline()` at the end of every mutating call.
    private var deadline: Instant?

    /// Creates a link in the state `profile` describes at `start`.
    /// - Parameters:
    ///   - generator: source of every random draw (split into loss, jitter and duplication streams,
    ///     so changing one model does not reshuffle the others).
    ///   - schedule: profile changes, applied in time order when virtual time reaches them.
    ///   - traces: already-loaded traces by the name used in `LinkProfile.trace`; others are loaded
    ///     from disk, relative to `traceDirectory` when the path is relative.
    /// - Throws: `LinkProfileError` for out-of-range values, `TraceError` for unreadable traces.
    public init(profile: LinkProfile, generator: SeededGenerator, start: Instant = .zero,
                schedule: [LinkChange] = [], traces: [String: BandwidthTrace] = [:],
                traceDirectory: String? = nil) throws {
        var generator = generator
        lossRandom = generator.split()
        jitterRandom = generator.split()
        duplicationRandom = generator.split()
        self.profile = profile
        self.traces = traces
        self.traceDirectory = traceDirectory
        clock = start
        freeAt = start
        lastDeliveryTime = start
        changes = schedule.sorted { $0.at < $1.at }
        try profile.validate()
        loss = LossModel(lossRate: profile.loss, meanBurstLength: profile.lossBurst)
        curve = .unlimited
        for change in changes {
            try change.profile.validate()
            _ = try makeCurve(change.profile, origin: start)  // loads scheduled traces now, so errors surface here
        }
        curve = try makeCurve(profile, origin: start)
        servesAhead = servesAheadAllowed
        refreshDeadline()
    }

    /// Offers a datagram of `bytes` bytes to the link at `now`. Times must not go backwards; an
    /// earlier `now` than a previous call is treated as that previous time.
    /// - Returns: whether the link duplicated the datagram (it then carries the payload twice,
    ///   unless the queue drops a copy: see `keepsDroppedPayloads`).
    @discardableResult
    public mutating func send(_ payload: Payload, size requestedBytes: Int, now requested: Instant) -> Bool {
        let bytes = max(0, requestedBytes)
        if servesAhead { return sendServedAhead(payload, bytes: bytes, now: requested) }
        defer { refreshDeadline() }
        advance(to: requested)
        let now = clock
        counters.sent += 1
        counters.sentBytes += bytes
        if loss.nextIsLost(using: &lossRandom) {
            counters.droppedByLoss += 1
            keepDropped(payload)
            return false
        }
        let packet = LinkPacket(payload: payload, bytes: bytes, sentAt: now, departedAt: now,
                                deliveredAt: now, isDuplicate: false)
        if servesAhead { enqueueAhead(packet) } else { enqueue(packet) }
        if profile.duplication > 0 && duplicationRandom.nextUnit() < profile.duplication {
            counters.duplicated += 1
            var copy = packet
            copy.isDuplicate = true
            enqueue(copy)
            return true
        }
        return false
    }

    /// `send` on a link served ahead (`servesAhead`), in one pass: the same advance, loss draw,
    /// admission, departure, delivery and duplication, in the same order, as the general path
    /// takes through `advance`, `enqueueAhead` and `depart`, without building the packet first
    /// and handing it down through them.
    @inline(__always)
    private mutating func sendServedAhead(_ payload: Payload, bytes: Int, now requested: Instant) -> Bool {
        let now = max(requested, clock)
        ahead.removeDeparted(by: now)
        clock = now
        counters.sent += 1
        counters.sentBytes += bytes
        var duplicated = false
        if loss.nextIsLost(using: &lossRandom) {
            counters.droppedByLoss += 1
            keepDropped(payload)
        } else {
            admitServedAhead(payload, bytes: bytes, at: now, isDuplicate: false)
            if profile.duplication > 0 && duplicationRandom.nextUnit() < profile.duplication {
                counters.duplicated += 1
                duplicated = true
                admitServedAhead(payload, bytes: bytes, at: now, isDuplicate: true)
            }
        }
        // What `refreshDeadline` gives when serving ahead.
        deadline = inFlight.minTime
        return duplicated
    }

    /// `enqueueAhead` for a packet sent at `now`, with its departure and delivery computed in place.
    @inline(__always)
    private mutating func admitServedAhead(_ payload: Payload, bytes: Int, at now: Instant, isDuplicate: Bool) {
        let departure: Instant
        if case .unlimited = curve, ahead.isEmpty {
            departure = now
        } else {
            let limit = profile.queueBytes ?? Self.droptailDefaultLimitBytes
            if ahead.bytes + bytes > limit {
                counters.droppedByQueue += 1
                keepDropped(payload)
                return
            }
            departure = finishService(bytes: bytes, startingAt: max(freeAt, now))
            ahead.append(departure, bytes: bytes)
        }
        let delivery = deliveryTime(departing: departure)
        inFlight.push(.init(time: delivery, sequence: sequence,
                            element: LinkPacket(payload: payload, bytes: bytes, sentAt: now, departedAt: departure,
                                                deliveredAt: delivery, isDuplicate: isDuplicate)))
        sequence &+= 1
    }

    /// The earliest instant at which the link has something to do: a delivery, a packet
    /// finishing transmission while others wait behind it (or before a scheduled change), or a
    /// scheduled change. Nil when idle.
    ///
    /// A stored value, refreshed by every mutating call, and always inlined: callers keep links
    /// in arrays or classes, where an outlined call would copy the whole emulator to borrow it.
    @inline(__always)
    public func nextDeadline() -> Instant? { deadline }

    /// Advances the link to `now` without taking deliveries out.
    public mutating func handleTimeout(now: Instant) {
        advance(to: now)
        refreshDeadline()
    }

    /// The next payload that has arrived by `now`, or nil. Call until nil.
    public mutating func poll(now: Instant) -> Payload? {
        pollPacket(now: now)?.payload
    }

    /// Like `poll(now:)`, with the packet's timestamps (sent, left the bottleneck, delivered).
    public mutating func pollPacket(now: Instant) -> LinkPacket<Payload>? {
        defer { refreshDeadline() }
        advance(to: now)
        guard let due = inFlight.minTime, due <= now, let top = inFlight.popMin() else { return nil }
        counters.delivered += 1
        counters.deliveredBytes += top.element.bytes
        return top.element
    }

    /// Hands every payload that has arrived by `now` to `body`, in delivery order, and returns how
    /// many there were: what calling `poll(now:)` until it returns nil hands out, with the link
    /// advanced and its deadline refreshed once instead of once per call. `body` must not use
    /// this link (it is being mutated).
    @discardableResult @inline(__always)
    public mutating func deliverArrived(now: Instant, _ body: (Payload) -> Void) -> Int {
        defer { refreshDeadline() }
        advance(to: now)
        var count = 0
        var bytes = 0
        inFlight.popDue(by: now) { top in
            count += 1
            bytes += top.element.bytes
            body(top.element.payload)
        }
        counters.delivered += count
        counters.deliveredBytes += bytes
        return count
    }

    /// Hands every payload dropped since the last call to `body` (oldest first) and forgets them.
    /// Always empty unless `keepsDroppedPayloads` is set.
    public mutating func removeDroppedPayloads(_ body: (Payload) -> Void) {
        guard !droppedPayloads.isEmpty else { return }
        for payload in droppedPayloads { body(payload) }
        droppedPayloads.removeAll(keepingCapacity: true)
    }

    /// Packets waiting in or being sent by the bottleneck.
    public var queuedPackets: Int { queue.count + (inService == nil ? 0 : 1) + ahead.count }

    /// Bytes waiting in or being sent by the bottleneck.
    public var queuedBytes: Int { queue.bytes + (inService?.bytes ?? 0) + ahead.bytes }

    /// Packets past the bottleneck, not yet delivered. (A packet being sent or waiting may have
    /// its delivery scheduled already, but counts as queued until the link is next advanced past
    /// its departure.)
    public var packetsInFlight: Int { inFlight.count - (inService != nil && inServiceDeparted ? 1 : 0) - ahead.count }

    // MARK: - Internals

    private mutating func keepDropped(_ payload: Payload) {
        if keepsDroppedPayloads { droppedPayloads.append(payload) }
    }

    private mutating func refreshDeadline() {
        var earliest = inFlight.minTime
        // Served ahead: no packet in `inService` or `queue`, no change left; deliveries only.
        if servesAhead {
            deadline = earliest
            return
        }
        // A departure matters only when it starts the next packet's service or its delivery is
        // still to be computed; otherwise it is processed whenever the link is next touched.
        // Even a waiting packet needs no wake-up at the departure ahead of it when the link
        // neither reorders nor drops at the head of its queue: every packet still to depart
        // arrives no earlier than the last delivery computed, so no earlier than the next one
        // due, and serving the queue later (at that delivery, or at the next send) draws the same
        // jitter in the same order and drops nothing (droptail decides on arrival).
        if let departure = inService?.departedAt, !inServiceDeparted || (!queue.isEmpty && !(servesLazily && earliest != nil)),
           earliest.map({ departure < $0 }) ?? true { earliest = departure }
        if nextChangeIndex < changes.count {
            let change = changes[nextChangeIndex].at
            if earliest.map({ change < $0 }) ?? true { earliest = change }
        }
        deadline = earliest
    }

    /// Whether waiting packets are served only when the link is next touched (see `refreshDeadline`).
    private var servesLazily: Bool { !profile.reorder && profile.queue == .droptail }

    private mutating func advance(to requested: Instant) {
        // Time never goes backwards here: an earlier `now` (a caller's bug) is taken as the current time.
        let now = max(requested, clock)
        if servesAhead {
            // No change left: only departures to forget.
            ahead.removeDeparted(by: now)
            clock = now
            return
        }
        while nextChangeIndex < changes.count, changes[nextChangeIndex].at <= now {
            let change = changes[nextChangeIndex]
            runBottleneck(until: change.at)
            nextChangeIndex += 1
            apply(change)
        }
        runBottleneck(until: now)
        clock = now
        if !servesAhead && servesAheadAllowed { startServingAhead() }
    }

    /// Whether the bottleneck can be served ahead of time: a droptail queue without a sojourn
    /// limit and without reordering, with no scheduled change left. Then a packet admitted at
    /// `now` starts at `max(freeAt, now)` along a curve that will not change, its jitter is drawn
    /// in arrival order (which is departure order), and the drop decision needs only the bytes of
    /// the packets that have not left the bottleneck by `now`: everything `queue`, `inService` and
    /// `runBottleneck` would compute later can be computed on arrival, with the same results.
    private var servesAheadAllowed: Bool {
        nextChangeIndex >= changes.count && profile.queue == .droptail && profile.queueDelay == nil && !profile.reorder
    }

    /// Switches to serving ahead once the queue is empty (the packet in service, if any, has its
    /// delivery computed already when no change is left).
    private mutating func startServingAhead() {
        guard queue.isEmpty else { return }
        if let packet = inService {
            guard inServiceDeparted else { return }
            ahead.append(packet.departedAt, bytes: packet.bytes)
            inService = nil
            inServiceDeparted = false
        }
        servesAhead = true
    }

    private mutating func apply(_ change: LinkChange) {
        let wasTrace = profile.trace
        let wasBandwidth = profile.bandwidth
        profile = change.profile
        loss = LossModel(lossRate: profile.loss, meanBurstLength: profile.lossBurst)
        if profile.trace != wasTrace || profile.bandwidth != wasBandwidth {
            // Every trace was loaded in init and is cached by name, so this cannot fail.
            curve = (try? makeCurve(profile, origin: change.at)) ?? .unlimited
            levelAtFree = curve.level(at: max(freeAt, change.at))
        }
    }

    private mutating func enqueue(_ packet: LinkPacket<Payload>) {
        if servesAhead {
            enqueueAhead(packet)
            return
        }
        if case .unlimited = curve, queue.isEmpty, inService == nil {
            depart(packet, at: packet.sentAt)
            return
        }
        let limit = profile.queueBytes ?? (profile.queue == .codel ? Self.codelDefaultLimitBytes : Self.droptailDefaultLimitBytes)
        if queuedBytes + packet.bytes > limit {
            counters.droppedByQueue += 1
            keepDropped(packet.payload)
            return
        }
        if profile.queue == .droptail, let maxDelay = profile.queueDelay, inService != nil {
            let drained = curve.time(reaching: levelAtFree + Double(queue.bytes), origin: clock)
            if (drained - packet.sentAt).milliseconds > maxDelay {
                counters.droppedByQueue += 1
                keepDropped(packet.payload)
                return
            }
        }
        // An idle droptail bottleneck serves the packet at once: the same as queueing it and
        // taking it straight out, without the trip through the queue.
        if profile.queue == .droptail, queue.isEmpty, inService == nil, freeAt <= packet.sentAt {
            beginService(packet, at: packet.sentAt)
            return
        }
        queue.append(packet, bytes: packet.bytes)
        runBottleneck(until: packet.sentAt)
    }

    /// `enqueue` when serving ahead (`servesAheadAllowed`): the same admission and the same
    /// departure and delivery as queueing the packet and serving it later.
    private mutating func enqueueAhead(_ packet: LinkPacket<Payload>) {
        if case .unlimited = curve, ahead.isEmpty {
            depart(packet, at: packet.sentAt)
            return
        }
        let limit = profile.queueBytes ?? Self.droptailDefaultLimitBytes
        if ahead.bytes + packet.bytes > limit {
            counters.droppedByQueue += 1
            keepDropped(packet.payload)
            return
        }
        let finish = finishService(bytes: packet.bytes, startingAt: max(freeAt, packet.sentAt))
        ahead.append(finish, bytes: packet.bytes)
        depart(packet, at: finish)
    }

    private mutating func runBottleneck(until time: Instant) {
        while true {
            // The departure alone first: most calls find the packet still on the wire, and
            // copying it out of its optional would cost more than the test.
            if let departure = inService?.departedAt {
                guard departure <= time else { return }
                if !inServiceDeparted, let packet = inService { depart(packet, at: departure) }
                inService = nil
            }
            guard let head = queue.first else { return }
            let start = max(freeAt, head.sentAt)
            guard start <= time else { return }
            startService(at: start)
        }
    }

    private mutating func startService(at start: Instant) {
        var next: LinkPacket<Payload>?
        if profile.queue == .codel {
            var dropped = 0
            let keeps = keepsDroppedPayloads
            var victims: [Payload] = []
            next = codel.dequeue(from: &queue, now: start) { victim in
                dropped += 1
                if keeps { victims.append(victim.payload) }
            }
            counters.droppedByQueue += dropped
            counters.droppedByCoDel += dropped
            droppedPayloads += victims
        } else {
            next = queue.removeFirst()
        }
        guard let packet = next else { return }
        beginService(packet, at: start)
    }

    /// Puts `packet` on the wire at `start`: when it finishes, and (usually) when it arrives.
    private mutating func beginService(_ packet: LinkPacket<Payload>, at start: Instant) {
        var packet = packet
        let finish = finishService(bytes: packet.bytes, startingAt: start)
        packet.departedAt = finish
        inService = packet
        // Its delivery is known now unless a scheduled change could alter delay or jitter before
        // it leaves (a packet leaving at a change's instant still gets the old profile). Jitter is
        // drawn in departure order either way, so the deliveries are the same; the link just needs
        // no wake-up at the departure.
        inServiceDeparted = nextChangeIndex >= changes.count || finish <= changes[nextChangeIndex].at
        if inServiceDeparted { depart(packet, at: finish) }
    }

    /// When a packet of `bytes` bytes whose service starts at `start` leaves the bottleneck; the
    /// bottleneck is busy until then.
    @inline(__always)
    private mutating func finishService(bytes: Int, startingAt start: Instant) -> Instant {
        let startLevel = max(levelAtFree, curve.level(at: start))
        let endLevel = startLevel + Double(bytes)
        let finish = max(start, curve.time(reaching: endLevel, origin: start))
        freeAt = finish
        levelAtFree = endLevel
        return finish
    }

    private mutating func depart(_ packet: LinkPacket<Payload>, at time: Instant) {
        var packet = packet
        packet.departedAt = time
        let delivery = deliveryTime(departing: time)
        packet.deliveredAt = delivery
        inFlight.push(.init(time: delivery, sequence: sequence, element: packet))
        sequence &+= 1
    }

    /// When a packet leaving the bottleneck at `time` (after every packet that left before it)
    /// is delivered: propagation delay and a jitter draw, never before the last delivery unless
    /// the link reorders.
    @inline(__always)
    private mutating func deliveryTime(departing time: Instant) -> Instant {
        var delivery: Instant
        if profile.jitter > 0 {
            let draw = jitterRandom.nextGaussianDraw()
            // Without reordering, a packet that cannot arrive after the last one arrives with it:
            // the delivery grows with the draw, so when even its upper bound lands no later than
            // the last delivery, the draw's exact value (a logarithm and a cosine) is not needed.
            if !profile.reorder, arrival(departing: time, gaussian: draw.upperBound) <= lastDeliveryTime {
                delivery = lastDeliveryTime
            } else {
                delivery = arrival(departing: time, gaussian: draw.value)
            }
        } else {
            delivery = arrival(departing: time, gaussian: nil)
        }
        if !profile.reorder {
            delivery = max(delivery, lastDeliveryTime)
        }
        lastDeliveryTime = max(lastDeliveryTime, delivery)
        return delivery
    }

    /// When a packet leaving the bottleneck at `time` arrives: propagation delay plus `gaussian`
    /// standard deviations of jitter (nil: no jitter), never before `time`. Non-decreasing in
    /// `gaussian` (every step rounds monotonically), which `depart` relies on. In integer
    /// nanoseconds, as `time + .nanoseconds(...)` would give without building a `Duration`.
    @inline(__always)
    private func arrival(departing time: Instant, gaussian: Double?) -> Instant {
        var extra = profile.delay * 1e6
        if let gaussian { extra += profile.jitter * 1e6 * gaussian }
        return Instant(nanoseconds: time.nanoseconds &+ roundedToInt64(nonNegative: max(0, extra)))
    }

    private mutating func makeCurve(_ profile: LinkProfile, origin: Instant) throws -> ServiceCurve {
        if let name = profile.trace {
            if let trace = traces[name] { return .trace(trace, origin: origin) }
            let path = name.hasPrefix("/") || traceDirectory == nil ? name : "\(traceDirectory!)/\(name)"
            let trace = try BandwidthTrace.load(path: path)
            traces[name] = trace
            return .trace(trace, origin: origin)
        }
        if let kbps = profile.bandwidth { return .constant(.kbps(kbps), origin: origin) }
        return .unlimited
    }

    /// Droptail queue limit when `queueBytes` is absent (64 KiB).
    public static var droptailDefaultLimitBytes: Int { 65_536 }
    /// CoDel hard queue limit when `queueBytes` is absent (1,000 packets of 1,500 bytes,
    /// as Linux `codel`'s default 1,000-packet limit).
    public static var codelDefaultLimitBytes: Int { 1_500_000 }
}

extension LinkEmulator: Sendable where Payload: Sendable {}

/// A profile that takes over one direction of a link at `at`.
public struct LinkChange: Sendable, Hashable {
    public var at: Instant
    public var profile: LinkProfile

    public init(at: Instant, profile: LinkProfile) {
        self.at = at
        self.profile = profile
    }
}
