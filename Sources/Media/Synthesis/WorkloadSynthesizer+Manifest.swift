extension WorkloadSynthesizer {
    /// Builds participants, streams, subscriptions and events from the plans and written tracks.
    fileprivate static func streamID(_ participant: String, _ source: String) -> String { "\(participant)-\(source)" }
}

extension WorkloadSynthesizer {
    func makeManifest(participants plans: [(id: String, role: WorkloadParticipant.Role, device: WorkloadParticipant.Device,
                                            shift: Int64, sources: [(type: String, index: Int)])],
                      tracks: [String: [WorkloadTrack]], distinct: Int) -> WorkloadManifest {
        var participants: [WorkloadParticipant] = []
        var events: [WorkloadEvent] = []
        for plan in plans {
            var streams: [WorkloadStream] = []
            for source in plan.sources {
                let encodings = tracks["\(source.type)-\(source.index)"] ?? []
                guard let first = encodings.first else { continue }
                let name = first.kind == .audio ? "mic" : source.type == "screen" ? "screen" : "cam"
                let single = encodings.count == 1
                let largest = encodings.last?.width ?? 0
                streams.append(WorkloadStream(
                    id: Self.streamID(plan.id, name), kind: first.kind, codec: first.codec, clockRate: first.clockRate,
                    source: first.kind == .audio ? "microphone" : name == "screen" ? "screen" : "camera",
                    encodings: encodings.map { track in
                        WorkloadEncoding(rid: single ? nil : String(track.id.split(separator: "-").last ?? ""), track: track.id,
                                         width: track.width, height: track.height,
                                         scaleResolutionDownBy: track.width.map { Double(largest) / Double($0) },
                                         maxBitrate: track.targetBitrate, scalabilityMode: track.scalabilityMode)
                    },
                    timeShiftMicros: plan.shift))
            }
            participants.append(WorkloadParticipant(id: plan.id, role: plan.role, device: plan.device, streams: streams, subscriptions: []))
            events.append(WorkloadEvent(timeMicros: plan.shift, kind: .join, participant: plan.id))
            if let screen = streams.first(where: { $0.source == "screen" }) {
                events.append(WorkloadEvent(timeMicros: plan.shift, kind: .screenShareStart, participant: plan.id, stream: screen.id))
                events.append(WorkloadEvent(timeMicros: spec.durationMicros, kind: .screenShareStop, participant: plan.id, stream: screen.id))
            }
            events.append(WorkloadEvent(timeMicros: spec.durationMicros, kind: .leave, participant: plan.id))
        }
        // Everyone receives every stream of everyone else.
        for index in participants.indices {
            participants[index].subscriptions = participants.enumerated().flatMap { other, publisher in
                other == index ? [] : publisher.streams.map { WorkloadSubscription(participant: publisher.id, stream: $0.id) }
            }
        }
        // In a meeting of 3 or more, the second participant turns the camera off for a while.
        if spec.kind == .meeting, participants.count >= 3, let camera = participants[1].streams.first(where: { $0.kind == .video }) {
            let muteAt = max(participants[1].streams[0].timeShiftMicros, spec.durationMicros / 2)
            events.append(WorkloadEvent(timeMicros: muteAt, kind: .mute, participant: participants[1].id, stream: camera.id))
            events.append(WorkloadEvent(timeMicros: spec.durationMicros * 7 / 10, kind: .unmute, participant: participants[1].id, stream: camera.id))
        }
        // Participant 1 changes camera (or, without one, microphone) when asked to.
        if let time = spec.deviceSwitchMicros, let first = participants.first,
           let stream = first.streams.first(where: { $0.source == "camera" }) ?? first.streams.first(where: { $0.source == "microphone" }) {
            events.append(WorkloadEvent(timeMicros: max(time, stream.timeShiftMicros), kind: .deviceSwitch, participant: first.id,
                                        stream: stream.id, device: first.device))
        }
        let order: [WorkloadEvent.Kind: Int] = [.join: 0, .screenShareStart: 1, .mute: 2, .unmute: 3, .deviceSwitch: 4, .screenShareStop: 5, .leave: 6]
        events = events.enumerated().sorted { a, b in
            (a.element.timeMicros, order[a.element.kind] ?? 9, a.offset) < (b.element.timeMicros, order[b.element.kind] ?? 9, b.offset)
        }.map(\.element)
        let allTracks = tracks.keys.sorted().flatMap { tracks[$0] ?? [] }
        return WorkloadManifest(
            durationMicros: spec.durationMicros,
            synthesis: WorkloadSynthesisInfo(
                kind: spec.kind.rawValue, device: spec.device.rawValue, seed: spec.seed, distinctSources: distinct,
                note: "Each source type (microphone, camera per device profile, screen) is encoded at most \(spec.maxDistinctSources) times; participant k reuses source k mod \(spec.maxDistinctSources) of its type, delayed by its streams' timeShiftMicros."),
            tracks: allTracks, participants: participants, events: events)
    }
}
