import Engine

/// Everything a simulated trial runs: the engine, the participants, and each participant's
/// uplink and downlink, driven by one virtual-time scheduler. Components are woken at their own
/// deadlines, each with one key in a `ComponentWakeQueue`, so the cost per event grows only with
/// the logarithm of the number of participants.
final class TrialWorld {
    typealias Datagram = SimulatedParticipant.Datagram

    /// A datagram on a link: its endpoints and the `store` slot holding its bytes. A plain value,
    /// so links move it around without reference counting.
    struct Packet {
        var from: Endpoint
        var to: Endpoint
        var slot: Int32
    }

    let engine: Engine
    private(set) var participants: [SimulatedParticipant] = []
    /// The same participants, reached on the hot path without reference counting (`participants`
    /// keeps every one alive for the world's lifetime): see `withParticipant`.
    private let participantTable = InPlaceArray<Unmanaged<SimulatedParticipant>>()
    /// Each participant's uplink and downlink, by participant index; reached in place (never
    /// copied out: an emulator holds queues and heaps).
    let uplinks = InPlaceArray<LinkEmulator<Packet>>()
    let downlinks = InPlaceArray<LinkEmulator<Packet>>()
    /// Bytes of every datagram on a link.
    let store = DatagramStore()
    private var participantByAddress: [UInt32: Int] = [:]
    /// Each participant's address by index: simulated participants are numbered from one base
    /// address, so `participant(at:)` usually finds the index by subtraction, without hashing.
    private var addresses: [UInt32] = []
    /// When each component is due, by component id (see `deadline(of:)`).
    private let scheduler = ComponentWakeQueue()
    /// Media bytes each participant received, for its received bit rate (a copy of the meters).
    var receivedBytes: [BitrateMeter] { meters.indices.map { meters[$0] } }
    /// The meters behind `receivedBytes`, recorded in place once per delivered datagram.
    private let meters = InPlaceArray<BitrateMeter>()
    private(set) var eventsSeen: [EngineEvent] = []
    var onEngineEvent: ((EngineEvent, Instant) -> Void)?
    /// Sees every datagram the engine receives from a participant, before it does (SessionRecorder).
    var onEngineIngress: ((UnsafeRawBufferPointer, Instant) -> Void)?

    init(engine: Engine) {
        self.engine = engine
        scheduler.addComponent()
    }

    var now: Instant { scheduler.now }

    func add(_ participant: SimulatedParticipant, uplink: LinkEmulator<Packet>, downlink: LinkEmulator<Packet>) {
        participantByAddress[participant.sendEndpoint.address] = participants.count
        addresses.append(participant.sendEndpoint.address)
        participants.append(participant)
        participantTable.append(Unmanaged.passUnretained(participant))
        var uplink = uplink
        var downlink = downlink
        // Dropped packets come back so that their slots are released.
        uplink.keepsDroppedPayloads = true
        downlink.keepsDroppedPayloads = true
        uplinks.append(uplink)
        downlinks.append(downlink)
        meters.append(BitrateMeter())
        for _ in 0..<3 { scheduler.addComponent() }
    }

    // Component ids: 0 engine; 1 + 3i uplink i; 2 + 3i downlink i; 3 + 3i participant i.
    private func deadline(of component: Int) -> Instant? {
        if component == 0 { return engine.nextDeadline() }
        let index = (component - 1) / 3
        switch (component - 1) % 3 {
        case 0: return uplinks[index].nextDeadline()
        case 1: return downlinks[index].nextDeadline()
        default: return withParticipant(index) { $0.nextDeadline() }
        }
    }

    /// Calls `body` with participant `index`, without the retain and release a strong reference
    /// loaded from the table would cost (a few per simulated packet).
    @inline(__always)
    private func withParticipant<Result>(_ index: Int, _ body: (SimulatedParticipant) -> Result) -> Result {
        participantTable[index]._withUnsafeGuaranteedRef(body)
    }

    private func wake(_ component: Int) {
        wake(component, due: deadline(of: component))
    }

    /// Schedules `component` at `due`, its deadline (read by the caller, who knows which kind of
    /// component it is), unless it is already scheduled no later.
    @inline(__always)
    private func wake(_ component: Int, due: Instant?) {
        guard let due else { return }
        scheduler.schedule(component, at: due)
    }

    /// Wakes every component once (after setup).
    func wakeAll() {
        for component in 0..<scheduler.count { wake(component) }
    }

    /// Runs until `end` (virtual time).
    func run(until end: Instant) {
        while let component = scheduler.popNext(until: end) {
            fire(component, at: scheduler.now)
        }
        scheduler.advance(to: end)
    }

    /// Runs `component`'s work due at `now`, then schedules it again at its next deadline (the
    /// engine is scheduled by `drainEngine`).
    private func fire(_ component: Int, at now: Instant) {
        if component == 0 {
            engine.handleTimeout(now: now)
            drainEngine(now: now)
            return
        }
        let index = (component - 1) / 3
        switch (component - 1) % 3 {
        case 0:
            // The engine's output goes to downlinks only, so the uplink is not used while it delivers.
            uplinks[index].deliverArrived(now: now) { packet in
                let bytes = store.bytes(packet.slot)
                onEngineIngress?(bytes, now)
                engine.handleDatagram(from: packet.from, to: packet.to, bytes: bytes, now: now)
                store.release(packet.slot)
                drainEngine(now: now)
            }
            wake(component, due: uplinks[index].nextDeadline())
        case 1:
            downlinks[index].deliverArrived(now: now) { packet in
                let bytes = store.bytes(packet.slot)
                meters[index].record(bytes: bytes.count, at: now)
                withParticipant(index) { $0.receive(bytes, now: now) }
                store.release(packet.slot)
            }
            flushOutbox(of: index, now: now)
            wake(component + 1, due: withParticipant(index) { $0.nextDeadline() })
            wake(component, due: downlinks[index].nextDeadline())
        default:
            withParticipant(index) { $0.handleTimeout(now: now) }
            flushOutbox(of: index, now: now)
            wake(component, due: withParticipant(index) { $0.nextDeadline() })
        }
    }

    private func flushOutbox(of index: Int, now: Instant) {
        var sent = false
        withParticipant(index) { $0.drainOutbox { queued in
            let slot = store.store(queued.bytes)
            if let stamp = queued.stamp { CongestionExtensions.apply(stamp, to: store.mutableBytes(slot)) }
            send(Packet(from: queued.from, to: queued.to, slot: slot), size: queued.bytes.count, on: uplinks, index, now: now)
            sent = true
        } }
        if sent { wake(1 + 3 * index, due: uplinks[index].nextDeadline()) }
    }

    /// Offers a stored packet to a link, taking a reference for a duplicate and releasing what
    /// the link dropped.
    private func send(_ packet: Packet, size: Int, on links: InPlaceArray<LinkEmulator<Packet>>, _ index: Int, now: Instant) {
        if links[index].send(packet, size: size, now: now) { store.retain(packet.slot) }
        links[index].removeDroppedPayloads { store.release($0.slot) }
    }

    /// The index of the participant at `address`.
    private func participant(at address: UInt32) -> Int? {
        if let first = addresses.first, address >= first {
            let guess = Int(address - first)
            if guess < addresses.count, addresses[guess] == address { return guess }
        }
        return participantByAddress[address]
    }

    private func drainEngine(now: Instant) {
        while let output = engine.poll() {
            switch output {
            case .transmit(let transmit):
                guard let index = participant(at: transmit.to.address) else { continue }
                let slot = store.store(transmit.bytes)
                send(Packet(from: transmit.from, to: transmit.to, slot: slot), size: transmit.bytes.count, on: downlinks, index, now: now)
                wake(2 + 3 * index, due: downlinks[index].nextDeadline())
            case .event(let event):
                onEngineEvent?(event, now)
            }
        }
        wake(0, due: engine.nextDeadline())
    }
}
