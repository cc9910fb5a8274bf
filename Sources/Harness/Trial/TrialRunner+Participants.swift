import Engine

extension TrialRunner {
    /// A participant with its two links, as both run modes build them. The links carry
    /// `Payload`: the simulated world's slot references (`TrialWorld.Packet`), live mode's
    /// datagrams (`SimulatedParticipant.Datagram`).
    struct Member<Payload> {
        var participant: SimulatedParticipant
        var uplink: LinkEmulator<Payload>
        var downlink: LinkEmulator<Payload>
    }

    /// Builds one participant per role with its uplink and downlink from the network scenario.
    /// `adapt` may change a link's profile before its emulator is made (live mode over TCP moves
    /// loss out of the emulator, docs/live-mode.md); random draws do not depend on it, nor on
    /// the links' `Payload`.
    static func makeParticipants<Payload>(carrying _: Payload.Type, spec: TrialSpec, roles: [ParticipantRole], stopAt: Instant,
                                          measurements: MeasurementCollector, traceDirectory: String?,
                                          random: inout SeededGenerator,
                                          adapt: (LinkProfile) -> LinkProfile = { $0 }) throws(TrialError) -> [Member<Payload>] {
        var members: [Member<Payload>] = []
        for (index, role) in roles.enumerated() {
            let participant = SimulatedParticipant(index: index, role: role, random: random.split(), measurements: measurements,
                                                   nackSettings: spec.profile.feedback.nack,
                                                   congestion: spec.profile.feedback.congestion,
                                                   initialBitrate: spec.profile.webRtcTransport.initialAvailableOutgoingBitrate,
                                                   stopAt: stopAt)
            let pair = spec.network.links(participant: index, deviceClass: role.device.rawValue)
            let uplink: LinkEmulator<Payload>
            let downlink: LinkEmulator<Payload>
            do {
                uplink = try LinkEmulator(profile: adapt(pair.uplink), generator: random.split(),
                                          schedule: spec.network.changes(uplink: true, start: .zero).map { LinkChange(at: $0.at, profile: adapt($0.profile)) },
                                          traceDirectory: traceDirectory)
                downlink = try LinkEmulator(profile: adapt(pair.downlink), generator: random.split(),
                                            schedule: spec.network.changes(uplink: false, start: .zero).map { LinkChange(at: $0.at, profile: adapt($0.profile)) },
                                            traceDirectory: traceDirectory)
            } catch {
                throw .invalidNetwork("\(spec.network.name): \(error)")
            }
            members.append(Member(participant: participant, uplink: uplink, downlink: downlink))
        }
        return members
    }
}
