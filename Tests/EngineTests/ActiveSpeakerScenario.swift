import Engine
import RTP
import Testing

/// Three audio producers take turns: the dominant speaker follows whoever keeps talking, and a
/// short interjection does not take the floor.
@Suite struct ActiveSpeakerScenario {
    @Test func dominantSpeakerFollowsSustainedSpeechNotBlips() throws {
        let bench = EngineBench()
        let observer = bench.engine.createActiveSpeakerObserver(now: .zero)
        var producers: [(ProducerID, Endpoint, Endpoint, UInt32)] = []
        for index in 0..<3 {
            let publisher = Endpoint(127, 1, 0, UInt8(index + 1), port: 5_000)
            let transport = bench.engine.createTransport(remote: publisher)
            let ssrc = UInt32(8_000 + index)
            let producer = try bench.engine.produce(on: transport.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: 100, encodings: [ProducerEncoding(ssrc: ssrc)]))
            try bench.engine.addProducer(producer, toSpeakerObserver: observer)
            producers.append((producer, publisher, transport.local, ssrc))
        }
        var sequence: UInt16 = 0
        /// Who talks during the next `milliseconds` (others are silent, level 127, no voice flag).
        func talk(_ speaker: Int?, milliseconds: Int) {
            for _ in 0..<(milliseconds / 20) {
                for (index, (_, publisher, local, ssrc)) in producers.enumerated() {
                    let speaking = index == speaker
                    let level = AudioLevelExtension(voiceActivity: speaking, levelDecibelsBelowOverload: speaking ? 25 : 127)
                    let builder = RTPPacketBuilder(
                        payloadType: 100, sequenceNumber: SequenceNumber(sequence), timestamp: UInt32(sequence) * 960, ssrc: ssrc,
                        extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.audioLevel, value: level.extensionValue)])
                    bench.send(try! builder.build(payload: [0xFC, 0x01]), from: publisher, to: local)
                }
                sequence &+= 1
                bench.run(until: bench.now + .milliseconds(20))
            }
        }
        func dominantSpeakers() -> [ProducerID] {
            bench.events.compactMap { event in
                if case .dominantSpeaker(observer, let producer) = event { return producer }
                return nil
            }
        }
        talk(0, milliseconds: 2_000)
        #expect(dominantSpeakers() == [producers[0].0])
        talk(2, milliseconds: 200)  // an interjection
        talk(0, milliseconds: 1_000)
        #expect(dominantSpeakers() == [producers[0].0])
        talk(1, milliseconds: 2_000)
        #expect(dominantSpeakers() == [producers[0].0, producers[1].0])
        talk(nil, milliseconds: 2_000)  // silence keeps the last speaker
        #expect(dominantSpeakers().count == 2)
    }
}
