import Engine
import RTP
import Testing

/// A 3-layer simulcast producer whose top encoding stops (its publisher paused it) and comes
/// back. Layer 1 keeps arriving, so the engine sees layer 2 paused after 500 ms (not the 1.5 s
/// inactivity interval) and the consumer moves to layer 1 after that plus the key-frame
/// request's round trip (40 ms) and a frame (33 ms); no key-frame request goes to the stopped
/// encoding once it is inactive, and its score is 0. When it returns (with a key frame,
/// as libwebrtc restarts a paused encoding) the consumer goes back up once it has been arriving
/// for 2 s (mediasoup's `StreamMinActiveMs`), at the next allocation (every second) and the key
/// frame it requests: within 3.1 s. When the publisher stops altogether, every stream goes
/// inactive after 1.5 s and no key-frame request follows.
@Suite struct InactiveLayerScenario {
    @Test func consumerLeavesAStoppedLayerAndReturnsWhenItComesBack() throws {
        let room = try SimulcastRoom()
        let (bench, publisher, sendTransport, receiveTransport, ssrcs, producer) =
            (room.bench, room.publisher, room.sendTransport, room.receiveTransport, room.ssrcs, room.producer)
        let (consumer, _) = try bench.engine.consume(on: receiveTransport.id, ConsumerOptions(producer: producer))
        // Every PLI the publisher receives: when, and for which encoding.
        // The publisher answers each with a key frame on that encoding's next frame.
        var plis: [(at: Instant, ssrc: UInt32)] = []
        var keyFrameWanted: Set<UInt32> = []
        bench.onReceive = { endpoint, bytes, now in
            guard endpoint == publisher, RTPDemux.isRTCP(bytes), let packets = try? RTCPPacket.parseCompound(bytes) else { return [] }
            for case .pli(let pli) in packets {
                plis.append((now, pli.mediaSSRC))
                keyFrameWanted.insert(pli.mediaSSRC)
            }
            return []
        }
        func pliCount(_ ssrc: UInt32, after: Instant = .zero) -> Int { plis.filter { $0.ssrc == ssrc && $0.at > after }.count }
        // Nothing has arrived yet: no layer is selectable and no stream is asked for a key frame.
        #expect(try bench.engine.arrivingEncodings(of: producer) == [false, false, false])

        var streams = ssrcs.map { ssrc in
            var stream = SyntheticVP8Stream(ssrc: ssrc, sequence: UInt16(ssrc))
            stream.keyFrameInterval = 30
            return stream
        }
        var timestamp: UInt32 = 1_000
        var time = Instant.zero
        func sendFrames(count: Int, layers: [Int], keyFrameOnLayer2: Bool = false) {
            for frame in 0..<count {
                for index in layers {
                    let force = (keyFrameOnLayer2 && index == 2 && frame == 0) || keyFrameWanted.remove(ssrcs[index]) != nil
                    for packet in streams[index].nextFrame(timestamp: timestamp, forceKeyFrame: force) {
                        bench.send(packet, from: publisher, to: sendTransport.local)
                    }
                }
                timestamp &+= 2_970
                time = time + .milliseconds(33)
                bench.run(until: time)
            }
        }
        func spatialChanges(after start: Instant) -> [(Instant, Int)] { changes.filter { $0.0 >= start } }
        var changes: [(Instant, Int)] = []
        var seenEvents = 0
        func collectChanges() {
            for event in bench.events[seenEvents...] {
                if case .consumerLayersChanged(consumer, let layers?) = event { changes.append((bench.now, layers.spatialLayer)) }
            }
            seenEvents = bench.events.count
        }

        // Consumers start on the first layer that arrives and take the upper ones after 2 s.
        sendFrames(count: 120, layers: [0, 1, 2])
        collectChanges()
        #expect(try bench.engine.currentLayers(of: consumer)?.spatialLayer == 2)
        #expect(try bench.engine.arrivingEncodings(of: producer) == [true, true, true])

        // The publisher pauses the top encoding.
        let stoppedAt = time
        let pliBefore = pliCount(3_333)
        var movedDownAt: Instant?
        for _ in 0..<120 {
            sendFrames(count: 1, layers: [0, 1])
            collectChanges()
            if movedDownAt == nil, try bench.engine.currentLayers(of: consumer)?.spatialLayer == 1 { movedDownAt = time }
        }
        let down = try #require(movedDownAt)
        #expect(down - stoppedAt <= .milliseconds(650))
        #expect(down - stoppedAt >= .milliseconds(480))
        #expect(try bench.engine.arrivingEncodings(of: producer) == [true, true, false])
        #expect(try bench.engine.streamScores(of: producer)[2] == 0)
        let listed = try bench.engine.producerSnapshot(producer)
        #expect(listed.arriving == [true, true, false])
        #expect(listed.scores[2] == 0)
        #expect(try bench.engine.score(of: consumer).producerScores[2] == 0)
        // At most the requests sent before the stream was seen to stop; none after.
        let pliAfterInactive = pliCount(3_333, after: stoppedAt + .milliseconds(600))
        #expect(pliAfterInactive == 0)
        #expect(pliCount(3_333) - pliBefore <= 1)
        #expect(bench.engine.counters.streamsWentInactive == 1)

        // The encoding comes back, starting with a key frame: the consumer goes up after 2 s.
        let resumedAt = time
        for frame in 0..<120 {
            sendFrames(count: 1, layers: [0, 1, 2], keyFrameOnLayer2: frame == 0)
            collectChanges()
        }
        let up = try #require(spatialChanges(after: resumedAt).first { $0.1 == 2 })
        #expect(up.0 - resumedAt >= .milliseconds(2_000))
        #expect(up.0 - resumedAt <= .milliseconds(3_100))
        #expect(try bench.engine.currentLayers(of: consumer)?.spatialLayer == 2)
        #expect(try bench.engine.arrivingEncodings(of: producer) == [true, true, true])
        #expect(try bench.engine.streamScores(of: producer)[2] == 10)

        // The publisher stops altogether: with nothing below to compare with, every stream goes
        // inactive after the full 1.5 s, and nobody is asked for a key frame after that.
        let silentFrom = time
        bench.run(until: time + .milliseconds(1_400))
        #expect(try bench.engine.arrivingEncodings(of: producer) == [true, true, true])
        bench.run(until: silentFrom + .milliseconds(1_600))
        #expect(try bench.engine.arrivingEncodings(of: producer) == [false, false, false])
        let requestsBefore = plis.count
        bench.run(until: silentFrom + .seconds(5))
        #expect(plis.count == requestsBefore)
        #expect(bench.engine.counters.streamsWentInactive == 4)
    }

}
