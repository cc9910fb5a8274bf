import Engine
import RTP
import Testing

/// The allocator steps an SVC consumer through (spatial, temporal) layers by measured
/// per-layer rates, as it does simulcast consumers.
@Suite struct SvcAllocationScenario {
    /// Runs an L3T3_KEY producer for 4 s with the consumer's outgoing estimate pinned at `bitrate`
    /// and returns the layers forwarded at the end and the layers seen in the last second.
    func run(bitrate: Bitrate) throws -> (current: ConsumerLayers?, maxSpatial: Int, maxTemporal: Int) {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = bitrate
        profile.webRtcTransport.minOutgoingBitrate = bitrate
        profile.webRtcTransport.maxOutgoingBitrate = bitrate
        let bench = EngineBench(profile: profile)
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let send = bench.engine.createTransport(remote: publisher)
        let receive = bench.engine.createTransport(remote: subscriber)
        let producer = try bench.engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP9", payloadType: 103,
            encodings: [ProducerEncoding(ssrc: 9_000, scalabilityMode: "L3T3_KEY")]))
        let (consumer, parameters) = try bench.engine.consume(on: receive.id, ConsumerOptions(producer: producer))
        // Rates (all temporal layers): S0 144 kb/s, S0+S1 432 kb/s, all 864 kb/s; TL0 is a quarter.
        var stream = SyntheticVP9Stream(ssrc: 9_000)
        stream.keyFrameInterval = 15
        var timestamp: UInt32 = 0
        var lastSecondStart = 0
        for picture in 0..<120 {
            if picture == 90 { lastSecondStart = bench.rtpHeaders(at: subscriber, ssrc: parameters.ssrc).count }
            for packet in stream.nextPicture(timestamp: timestamp) { bench.send(packet, from: publisher, to: send.local) }
            timestamp &+= 3_000
            bench.run(until: bench.now + .milliseconds(33))
        }
        let lastSecond = (bench.inbox[subscriber] ?? []).compactMap { bytes -> VP9LayerIndices? in
            guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == parameters.ssrc
            else { return nil }
            return (try? VP9PayloadDescriptor(parsing: Array(bytes[header.payloadRange])))?.layerIndices
        }.dropFirst(lastSecondStart)
        return (try bench.engine.currentLayers(of: consumer),
                Int(lastSecond.map(\.spatialLayerID).max() ?? 0), Int(lastSecond.map(\.temporalLayerID).max() ?? 0))
    }

    @Test func plentyOfBandwidthGetsEveryLayer() throws {
        let result = try run(bitrate: 5_000_000)
        #expect(result.current == ConsumerLayers(spatialLayer: 2, temporalLayer: 2))
        #expect(result.maxSpatial == 2 && result.maxTemporal == 2)
    }

    @Test func limitedBandwidthCapsTheLayers() throws {
        // 600 kb/s: all spatial layers at TL0–1 (~430 kb/s) fit, all three temporal layers do not.
        let result = try run(bitrate: 600_000)
        #expect(result.current == ConsumerLayers(spatialLayer: 2, temporalLayer: 1))
        #expect(result.maxSpatial == 2 && result.maxTemporal == 1)
    }

    @Test func littleBandwidthKeepsTheLowerSpatialLayers() throws {
        // 300 kb/s: S0 at every temporal layer and S0+S1 at TL0–1 (~216 kb/s) fit; S0+S1 at TL2 does not.
        let result = try run(bitrate: 300_000)
        #expect(result.current == ConsumerLayers(spatialLayer: 1, temporalLayer: 1))
        #expect(result.maxSpatial == 1 && result.maxTemporal == 1)
    }
}
