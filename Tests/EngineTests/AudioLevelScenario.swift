import Engine
import RTP
import Testing

/// Three audio producers at different levels: the observer reports the loudest first, honours
/// maxEntries and the threshold, and reports silence once when everyone is quiet.
@Suite struct AudioLevelScenario {
    @Test func loudestProducerIsReportedFirst() throws {
        let bench = EngineBench()
        let observer = bench.engine.createAudioLevelObserver(
            .init(maxEntries: 2, threshold: -70, interval: .milliseconds(500)), now: .zero)
        var producers: [(ProducerID, Endpoint, Endpoint, UInt32)] = []
        for index in 0..<3 {
            let publisher = Endpoint(127, 1, 0, UInt8(index + 1), port: 5_000)
            let transport = bench.engine.createTransport(remote: publisher)
            let ssrc = UInt32(9_000 + index)
            let producer = try bench.engine.produce(on: transport.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: 100, encodings: [ProducerEncoding(ssrc: ssrc)]))
            try bench.engine.addProducer(producer, toObserver: observer)
            producers.append((producer, publisher, transport.local, ssrc))
        }
        // Levels in -dBov: producer 0 at 60 (quietest that passes), 1 at 20 (loudest), 2 at 90 (below threshold).
        var levels: [UInt8] = [60, 20, 90]
        var sequence: UInt16 = 0
        func send(milliseconds: Int) {
            for _ in 0..<(milliseconds / 20) {
                for (index, (_, publisher, local, ssrc)) in producers.enumerated() {
                    let level = AudioLevelExtension(voiceActivity: true, levelDecibelsBelowOverload: levels[index])
                    let builder = RTPPacketBuilder(
                        payloadType: 100, sequenceNumber: SequenceNumber(sequence), timestamp: UInt32(sequence) * 960, ssrc: ssrc,
                        extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.audioLevel, value: level.extensionValue)])
                    bench.send(try! builder.build(payload: [0xFC, 0x01, 0x02]), from: publisher, to: local)
                }
                sequence &+= 1
                bench.run(until: bench.now + .milliseconds(20))
            }
        }
        send(milliseconds: 1_100)
        let reports = bench.events.compactMap { event -> [AudioVolume]? in
            if case .audioLevels(observer, let volumes) = event { return volumes }
            return nil
        }
        let first = try #require(reports.first)
        #expect(first.map(\.producer) == [producers[1].0, producers[0].0])
        #expect(first.map(\.volume) == [-20, -60])

        levels = [127, 127, 127]
        let silenceBefore = bench.events.filter { if case .silence = $0 { return true } else { return false } }.count
        send(milliseconds: 2_000)
        let silenceAfter = bench.events.filter { if case .silence = $0 { return true } else { return false } }.count
        #expect(silenceAfter - silenceBefore == 1)
    }
}
