import Engine
import Testing
@testable import Harness

/// The trial world keeps datagram bytes in a `DatagramStore` while they cross links: no slot is
/// leaked by a loss, a queue drop or CoDel, and a duplicate keeps its bytes until both copies
/// are gone. At any point between events, the store holds one reference per packet on a link.
@Suite struct TrialWorldStoreTests {
    @Test func slotsInUseAreThePacketsOnTheLinks() throws {
        var random = SeededGenerator(seed: 3)
        let settings = Profile()
        let engine = Engine(profile: settings, seed: random.next())
        let world = TrialWorld(engine: engine)
        let measurements = MeasurementCollector()
        let stopAt = Instant.seconds(6)
        let rough = profile(delay: 20, jitter: 5, reorder: true, loss: 0.03, lossBurst: 2, duplication: 0.05,
                                    bandwidth: 2_500, queue: .codel)
        let narrow = profile(delay: 30, loss: 0.02, duplication: 0.03, bandwidth: 1_500, queueBytes: 20_000)
        let role = ParticipantRole(sendsAudio: false, video: .camera, device: .desktop)
        for index in 0..<3 {
            let participant = SimulatedParticipant(index: index, role: role, random: random.split(), measurements: measurements,
                                                   nackSettings: settings.feedback.nack, congestion: settings.feedback.congestion,
                                                   stopAt: stopAt)
            world.add(participant, uplink: try LinkEmulator(profile: rough, generator: random.split()),
                      downlink: try LinkEmulator(profile: narrow, generator: random.split()))
        }
        let vp8 = try #require(engine.capabilities.codec(mimeType: "video/VP8"))
        var producers: [(Int, ProducerID)] = []
        for participant in world.participants {
            let send = engine.createTransport(remote: participant.sendEndpoint)
            let receive = engine.createTransport(remote: participant.receiveEndpoint)
            participant.engineSendEndpoint = send.local
            participant.engineReceiveEndpoint = receive.local
            participant.receiveTransport = receive.id
            let encodings = TrialRunner.encodings(for: participant.role, profile: settings, random: &random)
            participant.configureVideo(encodings: encodings, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType)
            producers.append((participant.index, try engine.produce(on: send.id, ProducerOptions(
                kind: .video, mimeType: vp8.mimeType, payloadType: vp8.payloadType, rtxPayloadType: vp8.rtxPayloadType,
                encodings: encodings.map { ProducerEncoding(ssrc: $0.ssrc, rtxSSRC: $0.rtxSSRC, maxBitrate: $0.bitrate) }))))
        }
        var key = 0
        for participant in world.participants {
            for (publisher, producer) in producers where publisher != participant.index {
                let (_, parameters) = try engine.consume(on: participant.receiveTransport, ConsumerOptions(producer: producer))
                participant.addStream(parameters, publisher: publisher, key: key, now: .zero)
                key += 1
            }
        }
        world.wakeAll()
        var time = Instant.zero
        var checks = 0
        while time < stopAt + .seconds(1) {
            time = time + .milliseconds(250)
            world.run(until: time)
            var onLinks = 0
            for index in world.uplinks.indices {
                onLinks += world.uplinks[index].queuedPackets + world.uplinks[index].packetsInFlight
                onLinks += world.downlinks[index].queuedPackets + world.downlinks[index].packetsInFlight
            }
            #expect(world.store.references == onLinks, "at \(time)")
            #expect(world.store.inUse <= onLinks, "at \(time)")
            checks += 1
        }
        let counters = world.downlinks[0].counters
        let uplink = world.uplinks[0].counters
        #expect(counters.delivered > 500)
        #expect(counters.duplicated + uplink.duplicated > 0)
        #expect(counters.droppedByLoss + counters.droppedByQueue + uplink.droppedByCoDel + uplink.droppedByLoss > 0)
        #expect(checks == 28)
    }
}
