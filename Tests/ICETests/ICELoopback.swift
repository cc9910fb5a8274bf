import Engine
@testable import ICE

/// Checkers and one lite agent exchanging datagrams in memory, in virtual time: the next event
/// is the earliest of a datagram's arrival and the agents' deadlines (str0m's `progress()`).
struct ICELoopback {
    static let server = TransportAddress(ip: .loopbackV4, port: 40_000)
    static let serverCredentials = ICECredentials(usernameFragment: "serverufrag00001", password: "serverpassword00000000000000001")

    /// A datagram on its way: `toServer` says which side receives it.
    struct InFlight {
        var arrival: Duration
        var toServer: Bool
        var checker: Int
        var bytes: [UInt8]
    }

    var agent: ICELiteAgent
    var checkers: [ICEControllingChecker<SeededGenerator>] = []
    var now: Duration = .zero
    var delay: Duration = .milliseconds(10)
    /// Returns false for datagrams the network loses: (time sent, to server, checker index).
    var deliver: (Duration, Bool, Int) -> Bool = { _, _, _ in true }
    var inFlight: [InFlight] = []
    var agentEvents: [(Duration, ICEEvent)] = []
    var checkerEvents: [[(Duration, ICEEvent)]] = []
    /// Send times of every datagram a checker sent.
    var checkerSendTimes: [[Duration]] = []
    /// Every datagram either side sent, in order.
    var transcript: [[UInt8]] = []

    init(consentTimeout: Duration = ICELiteAgent.defaultConsentTimeout) {
        agent = ICELiteAgent(localCredentials: Self.serverCredentials, consentTimeout: consentTimeout)
    }

    /// Adds a checker on local port `port` and starts it now; returns its index.
    @discardableResult
    mutating func addChecker(port: UInt16, seed: UInt64, remote: ICECredentials = serverCredentials,
                             configuration: ICECheckerConfiguration = ICECheckerConfiguration()) -> Int {
        let tuple = ICETransportTuple(local: TransportAddress(ip: .loopbackV4, port: port), remote: Self.server)
        var checker = ICEControllingChecker(remoteCredentials: remote, tuple: tuple, configuration: configuration, random: SeededGenerator(seed: seed))
        checker.start(now: now)
        checkers.append(checker)
        checkerEvents.append([])
        checkerSendTimes.append([])
        drain()
        return checkers.count - 1
    }

    /// The agent's view of checker `index`'s tuple.
    func serverTuple(of index: Int) -> ICETransportTuple {
        ICETransportTuple(local: checkers[index].tuple.remote, remote: checkers[index].tuple.local)
    }

    /// Runs every event up to and including `end`, then sets the clock to `end`.
    mutating func run(until end: Duration) {
        while true {
            let deadlines = [agent.nextDeadline()] + checkers.map { $0.nextDeadline() } + inFlight.map(\.arrival)
            guard let next = deadlines.compactMap({ $0 }).min(), next <= end else { break }
            now = next
            let arriving = inFlight.filter { $0.arrival <= now }
            inFlight.removeAll { $0.arrival <= now }
            for datagram in arriving {
                if datagram.toServer {
                    agent.handle(datagram.bytes, on: serverTuple(of: datagram.checker), now: now)
                } else {
                    checkers[datagram.checker].handle(datagram.bytes, now: now)
                }
            }
            if let deadline = agent.nextDeadline(), deadline <= now { agent.handleTimeout(now: now) }
            for index in checkers.indices {
                if let deadline = checkers[index].nextDeadline(), deadline <= now { checkers[index].handleTimeout(now: now) }
            }
            drain()
        }
        now = end
    }

    private mutating func drain() {
        while let output = agent.poll() {
            switch output {
            case .event(let event): agentEvents.append((now, event))
            case .transmit(let transmit):
                transcript.append(transmit.bytes)
                guard let index = checkers.firstIndex(where: { $0.tuple.local == transmit.tuple.remote }) else { continue }
                if deliver(now, false, index) { inFlight.append(InFlight(arrival: now + delay, toServer: false, checker: index, bytes: transmit.bytes)) }
            }
        }
        for index in checkers.indices {
            while let output = checkers[index].poll() {
                switch output {
                case .event(let event): checkerEvents[index].append((now, event))
                case .transmit(let transmit):
                    transcript.append(transmit.bytes)
                    checkerSendTimes[index].append(now)
                    if deliver(now, true, index) {
                        inFlight.append(InFlight(arrival: now + delay, toServer: true, checker: index, bytes: transmit.bytes))
                    }
                }
            }
        }
    }
}
