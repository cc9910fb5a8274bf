import Engine
import RTP
import Testing

/// A 3-layer simulcast producer and a consumer switching preferred layers: the consumer's stream
/// starts at a key frame, has continuous sequence numbers and monotonic timestamps throughout.
@Suite struct SimulcastLayerSwitchScenario {
    @Test func switchingPreferredLayersKeepsOneContinuousStream() throws {
        let room = try SimulcastRoom()
        let (bench, publisher, subscriber, sendTransport, receiveTransport, ssrcs, producer) =
            (room.bench, room.publisher, room.subscriber, room.sendTransport, room.receiveTransport, room.ssrcs, room.producer)
        let (consumer, parameters) = try bench.engine.consume(
            on: receiveTransport.id,
            ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 0, temporalLayer: 2)))
        #expect(parameters.type == .simulcast)

        // Key frames every 30 frames on each layer, offset so switches must wait for them.
        var streams = ssrcs.enumerated().map { index, ssrc in
            var stream = SyntheticVP8Stream(ssrc: ssrc, sequence: UInt16(65_500 - index * 10))
            stream.keyFrameInterval = 30
            stream.frameIndex = index * 7 + 1
            return stream
        }
        let frameInterval = Duration.milliseconds(33)
        var timestamp: UInt32 = 4_294_000_000
        var time = Instant.zero
        func sendFrames(count: Int) {
            for _ in 0..<count {
                for index in streams.indices {
                    for packet in streams[index].nextFrame(timestamp: timestamp) {
                        bench.send(packet, from: publisher, to: sendTransport.local)
                    }
                }
                timestamp &+= 2_970
                time = time + frameInterval
                bench.run(until: time)
            }
        }
        sendFrames(count: 60)
        try bench.engine.setPreferredLayers(consumer, ConsumerLayers(spatialLayer: 2, temporalLayer: 2), now: bench.now)
        sendFrames(count: 60)
        try bench.engine.setPreferredLayers(consumer, ConsumerLayers(spatialLayer: 1, temporalLayer: 0), now: bench.now)
        sendFrames(count: 60)

        let received = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc)
        #expect(received.count > 200)
        // Starts at a key frame.
        let first = try #require((bench.inbox[subscriber] ?? []).first { !RTPDemux.isRTCP($0) })
        let firstPayload = Array(first[try RTPHeader(parsing: first).payloadRange])
        #expect(firstPayload.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) })
        // Continuous sequence numbers (no loss on this bench) across wraps and switches.
        for (previous, next) in zip(received, received.dropFirst()) {
            #expect(previous.sequenceNumber.distance(to: next.sequenceNumber) == 1)
            #expect(Int32(bitPattern: next.timestamp &- previous.timestamp) >= 0)
        }
        // VP8 picture ids go up by one per forwarded frame and TL0PICIDX by one per TL0 frame,
        // across the switches and the dropped temporal layers (mediasoup's VP8 encoding context).
        let descriptors = (bench.inbox[subscriber] ?? []).compactMap { bytes -> VP8PayloadDescriptor? in
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == parameters.ssrc,
                  let descriptor = try? VP8PayloadDescriptor(parsing: Array(bytes[header.payloadRange])),
                  descriptor.isStartOfFrame else { return nil }
            return descriptor
        }
        #expect(descriptors.count > 100)
        for (previous, next) in zip(descriptors, descriptors.dropFirst()) {
            #expect((next.pictureID! &- previous.pictureID!) & 0x7FFF == 1)
            let tl0Step = (next.tl0PictureIndex! &- previous.tl0PictureIndex!)
            #expect(tl0Step == (next.temporalLayerID == 0 ? 1 : 0))
        }
        // The layer events show the switches: 0 → 2 → 1 (temporal 0).
        let layers = bench.events.compactMap { event -> ConsumerLayers? in
            if case .consumerLayersChanged(consumer, let layers?) = event { return layers }
            return nil
        }
        // Temporal changes are reported too; collapse them to see the spatial switches.
        let spatial = layers.map(\.spatialLayer).reduce(into: [Int]()) { if $0.last != $1 { $0.append($1) } }
        #expect(spatial == [0, 2, 1])
        #expect(layers.last?.temporalLayer == 0)
    }
}
