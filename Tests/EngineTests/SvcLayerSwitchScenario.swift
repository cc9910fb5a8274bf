import Engine
import RTP
import Testing

/// An L3T3_KEY VP9 producer (one stream, three spatial and three temporal layers) and an SVC
/// consumer switching preferred layers: one continuous stream that starts at a key frame, holds
/// only the target layers once each switch settles, and marks the end of every picture.
@Suite struct SvcLayerSwitchScenario {
    /// A forwarded packet with the VP9 layer indices read back from its payload.
    struct Received {
        var header: RTPHeader
        var descriptor: VP9PayloadDescriptor
    }

    @Test func switchingPreferredLayersKeepsOneContinuousStream() throws {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        let bench = EngineBench(profile: profile)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let sendTransport = bench.engine.createTransport(remote: publisher)
        let receiveTransport = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: sendTransport.id, ProducerOptions(
            kind: .video, mimeType: "video/VP9", payloadType: 103,
            encodings: [ProducerEncoding(ssrc: 9_000, maxBitrate: 1_500_000)]))
        let (consumer, parameters) = try bench.engine.consume(
            on: receiveTransport.id,
            ConsumerOptions(producer: producer, preferredLayers: ConsumerLayers(spatialLayer: 0, temporalLayer: 2)))
        #expect(parameters.type == .svc)

        var stream = SyntheticVP9Stream(ssrc: 9_000, sequence: 65_400)
        stream.keyFrameInterval = 30
        stream.frameIndex = 1  // the consumer waits for (and requests) the first key picture
        var timestamp: UInt32 = 4_294_000_000
        var time = Instant.zero
        func sendPictures(count: Int) {
            for _ in 0..<count {
                for packet in stream.nextPicture(timestamp: timestamp) {
                    bench.send(packet, from: publisher, to: sendTransport.local)
                }
                timestamp &+= 2_970
                time = time + .milliseconds(33)
                bench.run(until: time)
            }
        }
        func receivedCount() -> Int { bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).count }
        // Each phase: 60 pictures; the last 25 are checked against the target.
        let targets = [ConsumerLayers(spatialLayer: 0, temporalLayer: 2), ConsumerLayers(spatialLayer: 2, temporalLayer: 2),
                       ConsumerLayers(spatialLayer: 1, temporalLayer: 0)]
        var windows: [Range<Int>] = []
        for (phase, target) in targets.enumerated() {
            if phase > 0 { try bench.engine.setPreferredLayers(consumer, target, now: bench.now) }
            sendPictures(count: 35)
            let settled = receivedCount()
            sendPictures(count: 25)
            windows.append(settled..<receivedCount())
        }
        bench.run(until: bench.now + .seconds(1))

        let received: [Received] = try (bench.inbox[subscriber] ?? []).compactMap { bytes in
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == parameters.ssrc
            else { return nil }
            return Received(header: header, descriptor: try VP9PayloadDescriptor(parsing: Array(bytes[header.payloadRange])))
        }
        #expect(received.count > 300)
        // Starts at a key frame.
        #expect(received.first?.descriptor.isKeyFrame == true)
        // Continuous sequence numbers (no loss on this bench), monotonic timestamps.
        for (previous, next) in zip(received, received.dropFirst()) {
            #expect(previous.header.sequenceNumber.distance(to: next.header.sequenceNumber) == 1)
            #expect(Int32(bitPattern: next.header.timestamp &- previous.header.timestamp) >= 0)
        }
        // Once settled, only the target layers, and all of them.
        for (target, window) in zip(targets, windows) {
            let packets = received[window]
            #expect(!packets.isEmpty)
            let spatial = packets.map { Int($0.descriptor.layerIndices?.spatialLayerID ?? 0) }
            let temporal = packets.map { Int($0.descriptor.layerIndices?.temporalLayerID ?? 0) }
            #expect(spatial.max() == target.spatialLayer, "target \(target)")
            #expect(temporal.max() == target.temporalLayer, "target \(target)")
        }
        // Every forwarded picture ends with the marker, on the end of its highest spatial layer.
        var pictures: [[Received]] = []
        for packet in received {
            if let last = pictures.last?.last, last.header.timestamp == packet.header.timestamp {
                pictures[pictures.count - 1].append(packet)
            } else {
                pictures.append([packet])
            }
        }
        for picture in pictures {
            let top = picture.map { $0.descriptor.layerIndices?.spatialLayerID ?? 0 }.max()
            #expect(picture.last?.header.marker == true)
            #expect(picture.last?.descriptor.isEndOfFrame == true)
            #expect(picture.last?.descriptor.layerIndices?.spatialLayerID == top)
            #expect(picture.dropLast().allSatisfy { !$0.header.marker })
        }
        // The layer events show the spatial switches 0 → 2 → 1.
        let layers = bench.events.compactMap { event -> ConsumerLayers? in
            if case .consumerLayersChanged(consumer, let layers?) = event { return layers }
            return nil
        }
        let spatial = layers.map(\.spatialLayer).reduce(into: [Int]()) { if $0.last != $1 { $0.append($1) } }
        #expect(spatial == [0, 2, 1])
        #expect(try bench.engine.currentLayers(of: consumer) == ConsumerLayers(spatialLayer: 1, temporalLayer: 0))
    }
}
