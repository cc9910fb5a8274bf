import Engine
import RTP
import Testing

/// A minimal virtual-time bench for engine scenarios: datagrams between participants and the
/// engine travel over links with a fixed delay and seeded Bernoulli loss; time only advances
/// when the bench is told to, and timers fire at the engine's deadlines. Never sleeps.
final class EngineBench {
    struct Datagram {
        var deliverAt: Instant
        var order: Int
        var from: Endpoint
        var to: Endpoint
        var bytes: [UInt8]
    }

    let engine: Engine
    private(set) var now: Instant = .zero
    var random = SeededGenerator(seed: 7)
    var delay: Duration = .milliseconds(20)
    /// Loss towards the engine and from it.
    var uplinkLoss = 0.0
    var downlinkLoss = 0.0
    private var inFlight: [Datagram] = []
    private var order = 0
    /// Everything delivered to each participant endpoint, in arrival order.
    private(set) var inbox: [Endpoint: [[UInt8]]] = [:]
    private(set) var events: [EngineEvent] = []
    /// Called for every datagram a participant receives; may answer with datagrams to the engine.
    var onReceive: ((Endpoint, [UInt8], Instant) -> [(to: Endpoint, bytes: [UInt8])])?

    /// Steps (deliveries and timeouts) allowed at one instant before `run` gives up.
    static let maximumStepsWithoutProgress = 100_000

    init(profile: Profile = Profile(), seed: UInt64 = 1) {
        engine = Engine(profile: profile, seed: seed)
    }

    /// A participant sends a datagram to the engine.
    func send(_ bytes: [UInt8], from: Endpoint, to: Endpoint) {
        if uplinkLoss > 0 && random.nextUnit() < uplinkLoss { return }
        enqueue(Datagram(deliverAt: now + delay, order: 0, from: from, to: to, bytes: bytes))
    }

    /// Advances virtual time to `end`, delivering datagrams and firing engine timers in order.
    /// An engine whose deadline stays at or before `now` after a timeout (a stale deadline) would
    /// spin here: after `maximumStepsWithoutProgress` steps at one instant the run stops and
    /// records a test failure instead of hanging.
    func run(until end: Instant) {
        var stepsAtThisInstant = 0
        while true {
            let nextDelivery = inFlight.first?.deliverAt
            let nextTimer = engine.nextDeadline()
            let next = [nextDelivery, nextTimer].compactMap { $0 }.min()
            guard let next, next <= end else { break }
            stepsAtThisInstant = next > now ? 0 : stepsAtThisInstant + 1
            if stepsAtThisInstant > Self.maximumStepsWithoutProgress {
                Issue.record("EngineBench: virtual time stuck at \(now) (the engine's deadline does not move past it)")
                return
            }
            now = max(now, next)
            if let delivery = nextDelivery, delivery <= now {
                let datagram = inFlight.removeFirst()
                deliver(datagram)
            } else {
                engine.handleTimeout(now: now)
            }
            drain()
        }
        now = max(now, end)
    }

    private func deliver(_ datagram: Datagram) {
        if datagram.to.address == engine.listenAddress {
            engine.handleDatagram(from: datagram.from, to: datagram.to, bytes: datagram.bytes, now: now)
        } else {
            inbox[datagram.to, default: []].append(datagram.bytes)
            for answer in onReceive?(datagram.to, datagram.bytes, now) ?? [] {
                send(answer.bytes, from: datagram.to, to: answer.to)
            }
        }
    }

    private func drain() {
        while let output = engine.poll() {
            switch output {
            case .transmit(let transmit):
                if downlinkLoss > 0 && random.nextUnit() < downlinkLoss { continue }
                enqueue(Datagram(deliverAt: now + delay, order: 0, from: transmit.from, to: transmit.to,
                                 bytes: Array(transmit.bytes)))
            case .event(let event):
                events.append(event)
            }
        }
    }

    private func enqueue(_ datagram: Datagram) {
        var datagram = datagram
        order += 1
        datagram.order = order
        let index = inFlight.firstIndex { ($0.deliverAt, $0.order) > (datagram.deliverAt, datagram.order) } ?? inFlight.endIndex
        inFlight.insert(datagram, at: index)
    }

    /// Parsed RTP headers delivered to `endpoint` with `ssrc`, in arrival order.
    func rtpHeaders(at endpoint: Endpoint, ssrc: UInt32) -> [RTPHeader] {
        (inbox[endpoint] ?? []).compactMap { bytes in
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == ssrc else { return nil }
            return header
        }
    }
}
