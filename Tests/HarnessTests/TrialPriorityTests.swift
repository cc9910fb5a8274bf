import Engine
@testable import Harness
import Testing

/// Three publishers, one listener behind a constrained downlink, its three consumers at
/// priorities 3, 2 and 1: the allocator spends the live estimate by priority (mediasoup: every
/// consumer gets a base layer, then each round a consumer may step up `priority` layers), and a
/// consumer moved down is not moved up again before `feedback.allocation.upgradeHold`.
@Suite struct TrialPriorityTests {
    struct Outcome {
        /// Per consumer (by priority 3, 2, 1): (time s, layer order spatial*16+temporal) of every change.
        var changes: [[(t: Double, order: Int, spatial: Int)]]
        var estimate: [Double]
    }

    static func run(downlinkKbps: Double, seconds: Double, profile: Profile = Profile()) throws -> Outcome {
        var random = SeededGenerator(seed: 11)
        let engine = Engine(profile: profile, seed: random.next())
        let world = TrialWorld(engine: engine)
        let measurements = MeasurementCollector()
        let stopAt = Instant.seconds(seconds)
        var open = LinkProfile()
        open.delay = 20
        var narrow = open
        narrow.bandwidth = downlinkKbps
        narrow.queueBytes = 100_000
        let publisher = ParticipantRole(sendsAudio: false, video: .camera, device: .desktop)
        let listener = ParticipantRole(sendsAudio: false, video: .none, device: .desktop)
        for (index, role) in [publisher, publisher, publisher, listener].enumerated() {
            let participant = SimulatedParticipant(index: index, role: role, random: random.split(), measurements: measurements,
                                                   nackSettings: profile.feedback.nack, congestion: profile.feedback.congestion,
                                                   stopAt: stopAt)
            world.add(participant,
                      uplink: try LinkEmulator(profile: open, generator: random.split()),
                      downlink: try LinkEmulator(profile: index == 3 ? narrow : open, generator: random.split()))
        }
        let vp8 = try #require(engine.capabilities.codec(mimeType: "video/VP8"))
        var producers: [ProducerID] = []
        for participant in world.participants {
            let send = engine.createTransport(remote: participant.sendEndpoint)
            let receive = engine.createTransport(remote: participant.receiveEndpoint)
            participant.engineSendEndpoint = send.local
            participant.engineReceiveEndpoint = receive.local
            participant.receiveTransport = receive.id
            guard participant.role.video != .none else { continue }
            let encodings = TrialRunner.encodings(for: participant.role, profile: profile, random: &random)
            participant.configureVideo(encodings: encodings, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType)
            producers.append(try engine.produce(on: send.id, ProducerOptions(
                kind: .video, mimeType: vp8.mimeType, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType,
                encodings: encodings.map { ProducerEncoding(ssrc: $0.ssrc, rtxSSRC: $0.rtxSSRC, maxBitrate: $0.bitrate) })))
        }
        let subscriber = world.participants[3]
        var consumers: [ConsumerID] = []
        for (key, producer) in producers.enumerated() {
            let (id, parameters) = try engine.consume(on: subscriber.receiveTransport,
                                                      ConsumerOptions(producer: producer, priority: 3 - key))
            subscriber.addStream(parameters, publisher: key, key: key, now: .zero)
            consumers.append(id)
        }
        var changes: [[(t: Double, order: Int, spatial: Int)]] = [[], [], []]
        world.onEngineEvent = { event, now in
            guard case .consumerLayersChanged(let id, let layers) = event, let layers,
                  let index = consumers.firstIndex(of: id) else { return }
            changes[index].append((now.seconds, layers.spatialLayer * 16 + (layers.temporalLayer ?? 2), layers.spatialLayer))
        }
        world.wakeAll()
        var estimate: [Double] = []
        var time = Instant.zero
        while time < stopAt {
            time = time + .milliseconds(500)
            world.run(until: time)
            estimate.append(try engine.availableOutgoingBitrate(subscriber.receiveTransport).kbps)
        }
        return Outcome(changes: changes, estimate: estimate)
    }

    /// Time-weighted mean spatial layer of one consumer between `from` and `to` seconds.
    static func meanSpatial(_ changes: [(t: Double, order: Int, spatial: Int)], from: Double, to: Double) -> Double {
        var total = 0.0
        for (index, change) in changes.enumerated() {
            let start = max(change.t, from)
            let end = min(index + 1 < changes.count ? changes[index + 1].t : to, to)
            if end > start { total += Double(change.spatial) * (end - start) }
        }
        return total / (to - from)
    }

    @Test func higherPriorityGetsTheHigherLayer() throws {
        let outcome = try Self.run(downlinkKbps: 1_500, seconds: 40)
        let layers = outcome.changes.map { Self.meanSpatial($0, from: 20, to: 40) }
        print("priorities 3/2/1 behind 1.5 Mb/s: mean spatial layer 20-40 s \(layers), estimate at 40 s \(outcome.estimate.last!) kb/s")
        print("estimate", outcome.estimate.map { Int($0) })
        #expect(layers[0] >= layers[1])
        #expect(layers[1] >= layers[2])
        #expect(layers[0] > layers[2])
    }

    @Test func noUpSwitchSoonerThanTheHoldAfterADownSwitch() throws {
        let profile = Profile()
        let hold = Double(profile.feedback.allocation.upgradeHold) / 1_000
        // A link that forces moves down and up: the estimate must fall and recover.
        let outcome = try Self.run(downlinkKbps: 1_200, seconds: 40, profile: profile)
        var downs = 0
        for changes in outcome.changes {
            for (index, change) in changes.enumerated() where index > 0 && change.order < changes[index - 1].order {
                downs += 1
                guard let up = changes[(index + 1)...].first(where: { $0.order > change.order }) else { continue }
                // The allocation moves at the hold; the forwarded layer follows at the next key
                // frame of the new stream (one round trip plus a frame), hence the 0.5 s margin.
                #expect(up.t - change.t >= hold - 0.5, "up-switch \(up.t - change.t) s after a down-switch")
            }
        }
        print("hold \(hold) s: \(downs) down-switches checked")
    }
}
