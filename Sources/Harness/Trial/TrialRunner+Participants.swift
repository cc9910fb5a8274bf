import Engine

extension TrialRunner {
    /// A participant with its two links, as both run modes build them.
    struct Member {
        var participant: SimulatedParticipant
        var uplink: LinkEmulator<SimulatedParticipant.Datagram>
        var downlink: LinkEmulator<SimulatedParticipant.Datagram>
    }

    /// Builds one participant per role with its uplink and downlink from the network scenario.
    /// `adapt` may change a link's profile before its emulator is made (live mode over TCP moves
    /// loss out of the emulator, docs/live-mode.md); random draws do not depend on it.
    static func makeParticipants(spec: TrialSpec, roles: [ParticipantRole], stopAt: Instant, measurements: MeasurementCollector,
                                 traceDirectory: String?, random: inout SeededGenerator,
                                 adapt: (LinkProfile) -> LinkProfile = { $0 }) throws(TrialError) -> [Member] {
        var members: [Member] = []
        for (index, role) in roles.enumerated() {
            let participant = SimulatedParticipant(index: index, role: role, random: random.split(), measurements: measurements,
                                                   nackSettings: spec.profile.feedback.nack,
                                                   congestion: spec.profile.feedback.congestion,
                                                   initialBitrate: spec.profile.webRtcTransport.initialAvailableOutgoingBitrate,
                                                   stopAt: stopAt)
            let pair = spec.network.links(participant: index, deviceClass: role.device.rawValue)
            let uplink: LinkEmulator<SimulatedParticipant.Datagram>
            let downlink: LinkEmulator<SimulatedParticipant.Datagram>
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
