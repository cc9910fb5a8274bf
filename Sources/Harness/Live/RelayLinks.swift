import Engine

/// The participants' link emulators, lent to a relay that carries real IP packets between the
/// participants' sockets and the engine (live mode's kernel path, docs/live-mode.md): the same
/// `LinkEmulator` per uplink and downlink that a simulated trial builds, with the same profiles,
/// schedules, traces and seeds, fed whole IP packets (their size on the wire is what the
/// bottleneck counts). A packet belongs to the participant whose engine transport endpoint it is
/// sent to (uplink) or from (downlink).
///
/// Not thread-safe: one thread at a time uses it. The load generator lends it before the trial
/// clock starts and reads its counters only after the relay has given it back.
public final class RelayLinks: @unchecked Sendable {
    typealias Datagram = SimulatedParticipant.Datagram

    /// Which participant's links carry packets to and from each engine transport endpoint.
    public let participantByEngineEndpoint: [Endpoint: Int]
    let links: [LiveLoadGenerator.Links]

    init(participantByEngineEndpoint: [Endpoint: Int], links: [LiveLoadGenerator.Links]) {
        self.participantByEngineEndpoint = participantByEngineEndpoint
        self.links = links
    }

    /// Links built from profiles, without a load generator (tests, tools): participant `i` has
    /// `profiles[i]`, its emulators draw from generators split off `seed`.
    public convenience init(participantByEngineEndpoint: [Endpoint: Int],
                            profiles: [(uplink: LinkProfile, downlink: LinkProfile)], seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var links: [LiveLoadGenerator.Links] = []
        for pair in profiles {
            links.append(LiveLoadGenerator.Links(uplink: try LinkEmulator(profile: pair.uplink, generator: random.split()),
                                                 downlink: try LinkEmulator(profile: pair.downlink, generator: random.split())))
        }
        self.init(participantByEngineEndpoint: participantByEngineEndpoint, links: links)
    }

    /// Number of participants.
    public var count: Int { links.count }

    /// Offers `packet` (a whole IP packet) to participant `participant`'s uplink (towards the
    /// engine) or downlink at `now`.
    public func send(_ packet: [UInt8], participant: Int, uplink: Bool, now: Instant) {
        let datagram = Datagram(from: .init(address: 0, port: 0), to: .init(address: 0, port: 0), bytes: packet)
        if uplink {
            links[participant].uplink.send(datagram, size: packet.count, now: now)
        } else {
            links[participant].downlink.send(datagram, size: packet.count, now: now)
        }
    }

    /// The next packet that has crossed the link by `now`, or nil. Call until nil.
    public func poll(participant: Int, uplink: Bool, now: Instant) -> [UInt8]? {
        uplink ? links[participant].uplink.poll(now: now)?.bytes : links[participant].downlink.poll(now: now)?.bytes
    }

    /// When participant `participant`'s link next has something to do, or nil when idle.
    public func nextDeadline(participant: Int, uplink: Bool) -> Instant? {
        uplink ? links[participant].uplink.nextDeadline() : links[participant].downlink.nextDeadline()
    }

    /// The earliest deadline of every link, or nil when all are idle.
    public func nextDeadline() -> Instant? {
        var earliest: Instant?
        for link in links {
            for candidate in [link.uplink.nextDeadline(), link.downlink.nextDeadline()] {
                if let candidate, earliest == nil || candidate < earliest! { earliest = candidate }
            }
        }
        return earliest
    }

    /// What every uplink (first) and downlink did, as the result's `network.*` figures count it.
    public var counters: (uplink: [LinkCounters], downlink: [LinkCounters]) {
        (links.map(\.uplink.counters), links.map(\.downlink.counters))
    }
}
