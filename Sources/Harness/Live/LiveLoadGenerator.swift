import Engine

/// The participants' side of a live trial (docs/live-mode.md), sans-IO: the same simulated
/// participants, link emulators and measurement code as a simulated trial, driven by whoever owns
/// the sockets and the real clock (`LiveHarness`). Nothing here opens a socket or reads a clock.
///
/// - Set-up signals the engine server through the `SessionControl` it is given (the same code as
///   simulated mode), which creates the transports and the sockets behind them.
/// - Datagrams read from a socket are handed to `receive(_:from:now:)`; they pass the
///   participant's downlink emulator before the participant sees them.
/// - What the participants send passes their uplink emulator and comes out of
///   `takeTransmits()`, addressed to the engine endpoint whose socket must write it.
/// - Call `handleTimeout(now:)` at `nextDeadline()` and after every `receive`.
///
/// Over TCP, a link's loss is not dropped in user space (TCP would never see it) but turned into
/// retransmission delay by a `TCPRecoveryModel` after the emulator.
///
/// With `LiveImpairment.kernel` the generator applies nothing itself: its emulators are lent
/// (`lendLinks()`) to a relay that carries the sockets' real IP packets, and datagrams go
/// straight between the participants and the sockets.
public final class LiveLoadGenerator {
    typealias Datagram = SimulatedParticipant.Datagram

    /// A datagram for the engine: write `bytes` on the socket of the transport whose engine side
    /// is `to`; `from` is the participant's side of it (a label: the socket has the real address).
    public struct Transmit {
        public var from: Endpoint
        public var to: Endpoint
        public var bytes: [UInt8]

        /// The datagram as it goes onto the wire: its deferred congestion-control stamp
        /// (abs-send-time, transport-wide sequence number; `CongestionExtensions.Stamp`) written
        /// into a copy of its bytes, which the participant's send history may share.
        init(_ datagram: Datagram) {
            from = datagram.from
            to = datagram.to
            bytes = datagram.bytes
            if let stamp = datagram.stamp {
                bytes.withUnsafeMutableBytes { CongestionExtensions.apply(stamp, to: $0) }
            }
        }
    }

    /// One participant's links: emulators, and over TCP the recovery model behind each.
    final class Links {
        var uplink: LinkEmulator<Datagram>
        var downlink: LinkEmulator<Datagram>
        var uplinkTCP: TCPRecoveryModel<Datagram>?
        var downlinkTCP: TCPRecoveryModel<Datagram>?

        init(uplink: LinkEmulator<Datagram>, downlink: LinkEmulator<Datagram>) {
            self.uplink = uplink
            self.downlink = downlink
        }
    }

    public let spec: TrialSpec
    /// When the publishers stop.
    public let stopAt: Instant
    /// When the trial ends (publishers stopped, network drained).
    public let end: Instant
    /// Whether the transports are TCP (RFC 4571) rather than UDP.
    public let overTCP: Bool
    /// Where the links' impairments are applied: here (`user`) or by a relay on IP packets (`kernel`).
    public let impairment: LiveImpairment
    let participants: [SimulatedParticipant]
    let links: [Links]
    private let control: any SessionControl
    private let measurements = MeasurementCollector()
    private let layers = LayerTracker()
    private var estimate = TimeSeries(interval: .milliseconds(500))
    private var receivedBytes: [BitrateMeter]
    private let recorded: RecordedWorkload?
    private var byEngineEndpoint: [Endpoint: (participant: Int, local: Endpoint)] = [:]
    private var transmits: [Transmit] = []
    /// Datagrams from an engine endpoint no participant uses (counted, dropped).
    public private(set) var strayDatagrams = 0
    /// Bytes SRTP adds to an RTP and an RTCP packet when the transports encrypt (set by the
    /// driver once the handshakes are done): the uplink emulators count them, so that the links
    /// carry what the wire carries although encryption happens after them, at the socket.
    public var srtpOverhead: (rtp: Int, rtcp: Int)?

    /// Builds the participants and their links from `spec` and sets the session up through
    /// `control` (transports, producers, consumers), as a simulated trial does. Throws `TrialError`.
    public init(spec: TrialSpec, control: any SessionControl, overTCP: Bool, drain: Duration = .seconds(1),
                traceDirectory: String? = nil, replaysVerbatim: Bool = false, impairment: LiveImpairment = .user) throws {
        guard spec.duration > .zero else { throw TrialError.invalidWorkload("duration must be positive") }
        self.spec = spec
        self.control = control
        self.overTCP = overTCP
        self.impairment = impairment
        let modelsTCP = overTCP && impairment == .user
        stopAt = .zero + spec.duration
        end = stopAt + drain
        recorded = try spec.workload.file.map { try RecordedWorkload(path: $0, verbatim: replaysVerbatim) }
        let roles = try recorded?.roles ?? ParticipantRole.roles(for: spec.workload)
        var random = SeededGenerator(seed: spec.seed)
        _ = random.next()  // the engine's seed in simulated mode: keeps the participants' draws the same
        let members = try TrialRunner.makeParticipants(
            carrying: Datagram.self, spec: spec, roles: roles, stopAt: stopAt, measurements: measurements,
            traceDirectory: traceDirectory, random: &random, adapt: modelsTCP ? Self.tcpLink : { $0 })
        participants = members.map(\.participant)
        links = members.map { Links(uplink: $0.uplink, downlink: $0.downlink) }
        receivedBytes = members.map { _ in BitrateMeter() }
        if modelsTCP {
            for (index, role) in roles.enumerated() {
                let pair = spec.network.links(participant: index, deviceClass: role.device.rawValue)
                let roundTrip = Duration.microseconds(Int64((pair.uplink.delay + pair.downlink.delay) * 1_000))
                let variation = Duration.microseconds(Int64((pair.uplink.jitter + pair.downlink.jitter) * 1_000))
                links[index].uplinkTCP = TCPRecoveryModel(
                    settings: .init(lossRate: pair.uplink.loss, meanBurstLength: pair.uplink.lossBurst,
                                    roundTrip: roundTrip, roundTripVariation: variation), generator: random.split())
                links[index].downlinkTCP = TCPRecoveryModel(
                    settings: .init(lossRate: pair.downlink.loss, meanBurstLength: pair.downlink.lossBurst,
                                    roundTrip: roundTrip, roundTripVariation: variation), generator: random.split())
            }
        }
        if let recorded {
            try recorded.setUpSession(control: control, participants: participants, stopAt: stopAt, recorder: nil, random: &random)
        } else {
            try TrialRunner.setUpSession(control: control, participants: participants, profile: spec.profile, random: &random)
        }
        for participant in participants {
            byEngineEndpoint[participant.engineSendEndpoint] = (participant.index, participant.sendEndpoint)
            byEngineEndpoint[participant.engineReceiveEndpoint] = (participant.index, participant.receiveEndpoint)
        }
    }

    /// A link as the emulator runs it in front of a TCP socket: no loss, duplication or
    /// reordering (TCP has none of them; loss becomes delay in `TCPRecoveryModel`), and a queue
    /// as deep as a socket send buffer (4 MiB, Linux's `tcp_wmem` maximum) instead of drops.
    static func tcpLink(_ profile: LinkProfile) -> LinkProfile {
        var link = profile
        link.loss = 0
        link.lossBurst = nil
        link.duplication = 0
        link.reorder = false
        link.queue = .droptail
        link.queueBytes = 4 << 20
        link.queueDelay = nil
        return link
    }

    /// The transports the engine sends media on to subscribers (whose bandwidth estimate the
    /// trial samples).
    public var subscriberTransports: [TransportID] {
        participants.filter { !$0.streams.isEmpty }.map(\.receiveTransport)
    }

    // MARK: Input

    /// A datagram read from the socket of the transport whose engine side is `engine`;
    /// `wireSize` is its size on the wire when that differs (SRTP decrypted at the socket): the
    /// downlink emulator counts that.
    public func receive(_ bytes: [UInt8], from engine: Endpoint, now: Instant, wireSize: Int? = nil) {
        guard let (index, local) = byEngineEndpoint[engine] else {
            strayDatagrams += 1
            return
        }
        if impairment == .kernel {
            deliver(Datagram(from: engine, to: local, bytes: bytes), to: index, now: now)
            return
        }
        links[index].downlink.send(Datagram(from: engine, to: local, bytes: bytes), size: wireSize ?? bytes.count, now: now)
    }

    /// The size of a participant's packet on the wire: with SRTP, its tag (and SRTCP index) added.
    private func wireSize(_ bytes: [UInt8]) -> Int {
        guard let srtpOverhead else { return bytes.count }
        let isRTCP = bytes.count >= 2 && (192...223).contains(bytes[1])
        return bytes.count + (isRTCP ? srtpOverhead.rtcp : srtpOverhead.rtp)
    }

    /// The bandwidth estimates of `subscriberTransports` at `now` (their mean is the trial's series).
    public func recordEstimates(_ estimates: [Bitrate], now: Instant) {
        let total = estimates.reduce(Bitrate.zero, +)
        estimate.record(Double(total.bitsPerSecond) / 1_000 / Double(max(1, estimates.count)), at: now)
    }

    /// The layers a consumer forwards, as read from the engine server at `now`.
    public func recordLayers(of consumer: ConsumerID, _ current: ConsumerLayers?, now: Instant) {
        layers.handle(.consumerLayersChanged(consumer, current), now: now)
    }

    /// Samples the layer series (after a round of `recordLayers`).
    public func sampleLayers(now: Instant) {
        layers.sample(now: now)
    }

    // MARK: Time

    public func nextDeadline() -> Instant? {
        var deadline = recorded?.pendingActions.first.map { Instant(nanoseconds: $0.timeMicros * 1_000) }
        func consider(_ candidate: Instant?) {
            if let candidate, deadline == nil || candidate < deadline! { deadline = candidate }
        }
        for (index, participant) in participants.enumerated() {
            consider(participant.nextDeadline())
            if impairment == .kernel { continue }
            consider(links[index].uplink.nextDeadline())
            consider(links[index].downlink.nextDeadline())
            consider(links[index].uplinkTCP?.nextDeadline())
            consider(links[index].downlinkTCP?.nextDeadline())
        }
        return deadline
    }

    /// Does everything due by `now`: signalling events of a recorded workload, deliveries on the
    /// downlinks, the participants' timers, and the uplinks' output (then in `takeTransmits()`).
    public func handleTimeout(now: Instant) {
        if let recorded {
            for action in recorded.takeActions(dueBy: now) {
                recorded.perform(action, control: control, now: now, measurements: measurements)
            }
        }
        for (index, participant) in participants.enumerated() {
            if impairment == .kernel {
                if let due = participant.nextDeadline(), due <= now { participant.handleTimeout(now: now) }
                participant.drainOutbox { transmits.append(Transmit(Datagram($0))) }
                continue
            }
            let link = links[index]
            // Deadline checks first: most wakes concern one participant, and polling an idle
            // emulator still advances its clock.
            if let due = link.downlink.nextDeadline(), due <= now {
                while let datagram = link.downlink.poll(now: now) {
                    if link.downlinkTCP != nil { link.downlinkTCP!.arrive(datagram, now: now) } else { deliver(datagram, to: index, now: now) }
                }
            }
            if let due = link.downlinkTCP?.nextDeadline(), due <= now {
                while let datagram = link.downlinkTCP?.poll(now: now) { deliver(datagram, to: index, now: now) }
            }
            if let due = participant.nextDeadline(), due <= now { participant.handleTimeout(now: now) }
            participant.drainOutbox {
                let datagram = Datagram($0)
                link.uplink.send(datagram, size: wireSize(datagram.bytes), now: now)
            }
            if let due = link.uplink.nextDeadline(), due <= now {
                while let datagram = link.uplink.poll(now: now) {
                    if link.uplinkTCP != nil { link.uplinkTCP!.arrive(datagram, now: now) } else { transmits.append(Transmit(datagram)) }
                }
            }
            if let due = link.uplinkTCP?.nextDeadline(), due <= now {
                while let datagram = link.uplinkTCP?.poll(now: now) { transmits.append(Transmit(datagram)) }
            }
        }
    }

    /// The participants' link emulators, for the relay that applies them to IP packets
    /// (`LiveImpairment.kernel`); call after set-up, before the trial clock starts. The generator
    /// no longer touches them until `finish`, whose `network.*` figures count what they did.
    public func lendLinks() -> RelayLinks {
        RelayLinks(participantByEngineEndpoint: byEngineEndpoint.mapValues(\.participant), links: links)
    }

    private func deliver(_ datagram: Datagram, to index: Int, now: Instant) {
        receivedBytes[index].record(bytes: datagram.bytes.count, at: now)
        datagram.bytes.withUnsafeBytes { participants[index].receive($0, now: now) }
    }

    /// What the uplinks let through since the last call, in order.
    public func takeTransmits() -> [Transmit] {
        defer { transmits.removeAll(keepingCapacity: true) }
        return transmits
    }

    // MARK: Result

    /// The trial's result, measured like a simulated one: `engine` holds the engine server's
    /// figures (counters, and engine latency by stage, which replace the empty simulated ones).
    public func finish(engine: [String: Double]) -> TrialResult {
        var result = TrialRunner.collect(
            participants: participants, receivedBytes: receivedBytes,
            uplinks: links.map(\.uplink.counters), downlinks: links.map(\.downlink.counters), engine: [:], measurements: measurements,
            layers: layers, estimate: estimate, spec: spec, end: end, mode: "live")
        result.metrics.merge(engine) { _, new in new }
        if overTCP && impairment == .user {
            let models = links.flatMap { [$0.uplinkTCP?.counters, $0.downlinkTCP?.counters] }.compactMap { $0 }
            result.metrics["tcp.segmentsLost"] = Double(models.reduce(0) { $0 + $1.lost })
            result.metrics["tcp.retransmissions"] = Double(models.reduce(0) { $0 + $1.retransmissions })
            result.metrics["tcp.segmentsDelayed"] = Double(models.reduce(0) { $0 + $1.delayed })
            let delayed = models.reduce(0) { $0 + $1.delayed }
            if delayed > 0 {
                result.metrics["tcp.addedDelay.mean"] = models.reduce(Duration.zero) { $0 + $1.addedDelay }.milliseconds / Double(delayed)
            }
        }
        if strayDatagrams > 0 { result.metrics["live.strayDatagrams"] = Double(strayDatagrams) }
        result.liveImpairments = impairments
        return result
    }

    /// Which impairment was applied where (docs/live-mode.md), for the result and the report.
    public var impairments: [String: String] {
        if impairment == .kernel { return kernelImpairments }
        let relay = "user space in the load generator: uplink before the socket write, downlink after the socket read"
        var notes = [
            "delay": relay,
            "jitter": relay,
            "bandwidth": relay + (overTCP ? " (queue: 4 MiB droptail standing in for the socket send buffer, not the scenario's)"
                                          : " (queue: the scenario's discipline and size)"),
            "transport": overTCP ? "TCP with RFC 4571 framing over 127.0.0.1" : "UDP over 127.0.0.1",
        ]
        if overTCP {
            notes["loss"] = "modelled, not dropped: TCP fast retransmit/RTO delay with head-of-line blocking after the relay (TCPRecoveryModel; RFC 5681, RFC 6298)"
            notes["duplication"] = "not applied (TCP delivers each byte once)"
            notes["jitter"] = relay + " (without reordering: TCP delivers in order)"
        } else {
            notes["loss"] = relay + " (datagrams dropped before the write or after the read)"
            notes["duplication"] = relay
        }
        return notes
    }
}

extension LiveLoadGenerator {
    /// `impairments` on the kernel path: every impairment is the scenario's own, applied by the
    /// lent emulators to the IP packets between the two network namespaces.
    var kernelImpairments: [String: String] {
        let relay = LiveImpairment.kernel.place + ": LinkEmulator per participant link on the IP packets between the participants' namespace and the engine's"
        var notes = [
            "delay": relay,
            "jitter": relay,
            "bandwidth": relay + " (the scenario's queue discipline and size; sizes count IP and transport headers)",
            "duplication": relay,
            "transport": (overTCP ? "TCP with RFC 4571 framing" : "UDP") + " between two network namespaces over a TUN pair",
        ]
        notes["loss"] = relay + (overTCP ? " (segments and ACKs really dropped: the kernel's TCP retransmits them and its congestion control reacts)"
                                         : " (datagrams dropped)")
        return notes
    }
}
