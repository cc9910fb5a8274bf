import RTP

/// Encodes one synthetic source into the packet logs of its encodings, spooled to temporary
/// files (`PacketSpool`) so memory does not grow with the session's length.
enum SourceEncoder {
    /// The packets of each encoding, lowest first, plus the CPU time spent in libvpx.
    struct VideoOutput {
        var spools: [PacketSpool]
        var frames: Int
        var encodeNanoseconds: [UInt64]
    }

    /// Encodes `frameCount` frames from `picture` through every encoding of `profile`.
    static func encodeVideo(profile: VideoProfile, frameCount: Int, keyFrameInterval: Int, seed: UInt64, spoolPrefix: String,
                            picture: (Int) -> VideoFrame) throws -> VideoOutput {
        var encoders: [VP8Encoder] = []
        var packetizers: [VP8Packetizer] = []
        var random = SourceRandom(seed: seed ^ 0xC0DE)
        for encoding in profile.encodings {
            encoders.append(try VP8Encoder(.init(
                width: profile.width / encoding.divisor, height: profile.height / encoding.divisor,
                frameRate: profile.frameRate, targetBitrate: encoding.targetBitrate,
                temporalLayers: profile.temporalLayers, screenContent: profile.screenContent)))
            packetizers.append(VP8Packetizer(firstPictureID: UInt16(random.next(below: 0x8000)),
                                             firstTL0PictureIndex: UInt8(random.next(below: 256))))
        }
        var spools: [PacketSpool] = []
        for layer in encoders.indices { spools.append(try PacketSpool(path: "\(spoolPrefix)-\(layer)")) }
        var output = VideoOutput(spools: spools, frames: frameCount,
                                 encodeNanoseconds: Array(repeating: 0, count: encoders.count))
        let clock = ContinuousClock()
        for index in 0..<frameCount {
            let full = picture(index)
            let timestamp = UInt32(truncatingIfNeeded: index * 90_000 / profile.frameRate)
            let capture = Int64(index) * 1_000_000 / Int64(profile.frameRate)
            let forceKey = keyFrameInterval > 0 && index > 0 && index % keyFrameInterval == 0
            for (layer, encoding) in profile.encodings.enumerated() {
                let scaled = full.downscaled(by: encoding.divisor)
                let start = clock.now
                let frames = try encoders[layer].encode(scaled, timestamp: timestamp, forceKeyFrame: forceKey)
                let elapsed = clock.now - start
                output.encodeNanoseconds[layer] += UInt64(elapsed.components.seconds) * 1_000_000_000
                    + UInt64(elapsed.components.attoseconds / 1_000_000_000)
                for frame in frames {
                    let payloads = packetizers[layer].packetize(frame)
                    for (number, payload) in payloads.enumerated() {
                        try output.spools[layer].append(WorkloadPacket(
                            captureTimeMicros: capture, rtpTimestamp: timestamp,
                            isFrameEnd: number == payloads.count - 1, isFrameStart: number == 0,
                            isKeyFrame: frame.isKeyFrame, spatialLayer: 0,
                            temporalLayer: UInt8(frame.temporalLayer), payload: payload))
                    }
                }
            }
        }
        return output
    }

    /// Encodes `frameCount` frames from `picture` as one VP9 SVC stream (`profile.svcSpatialBitrates`).
    static func encodeVP9(profile: VideoProfile, frameCount: Int, keyFrameInterval: Int, seed: UInt64, spoolPrefix: String,
                          picture: (Int) -> VideoFrame) throws -> (spool: PacketSpool, encodeNanoseconds: UInt64) {
        let configuration = VP9Encoder.Configuration(width: profile.width, height: profile.height, frameRate: profile.frameRate,
                                                     spatialBitrates: profile.svcSpatialBitrates, temporalLayers: profile.temporalLayers)
        let encoder = try VP9Encoder(configuration)
        let spatial = profile.svcSpatialBitrates.count
        var random = SourceRandom(seed: seed ^ 0xC0DE9)
        var resolutions: [VP9Resolution] = []
        for layer in 0..<spatial {
            let shift = spatial - 1 - layer
            resolutions.append(VP9Resolution(width: UInt16(profile.width >> shift), height: UInt16(profile.height >> shift)))
        }
        var packetizer = VP9Packetizer(
            resolutions: resolutions,
            temporalLayers: profile.temporalLayers, firstPictureID: UInt16(random.next(below: 0x8000)),
            firstTL0PictureIndex: UInt8(random.next(below: 256)))
        let spool = try PacketSpool(path: spoolPrefix)
        var nanoseconds: UInt64 = 0
        let clock = ContinuousClock()
        for index in 0..<frameCount {
            let full = picture(index)
            let timestamp = UInt32(truncatingIfNeeded: index * 90_000 / profile.frameRate)
            let capture = Int64(index) * 1_000_000 / Int64(profile.frameRate)
            let start = clock.now
            let layers = try encoder.encode(full, timestamp: timestamp,
                                            forceKeyFrame: keyFrameInterval > 0 && index > 0 && index % keyFrameInterval == 0)
            let elapsed = clock.now - start
            nanoseconds += UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
            guard let first = layers.first else { continue }
            let payloads = packetizer.packetize(layers)
            for (number, item) in payloads.enumerated() {
                try spool.append(WorkloadPacket(
                    captureTimeMicros: capture, rtpTimestamp: timestamp, isFrameEnd: number == payloads.count - 1,
                    isFrameStart: number == 0, isKeyFrame: first.isKeyFrame, spatialLayer: UInt8(item.spatialLayer),
                    temporalLayer: UInt8(first.temporalLayer), payload: item.payload))
            }
        }
        return (spool, nanoseconds)
    }

    /// Encodes a talker: one packet per 20 ms frame, none while Opus is in DTX (packets of
    /// 1–2 bytes are not sent, as in WebRTC).
    static func encodeSpeech(_ speech: SpeechSource, configuration: OpusEncoder.Configuration) throws(CodecError) -> (packets: [WorkloadPacket], encodeNanoseconds: UInt64) {
        let encoder = try OpusEncoder(configuration)
        var packets: [WorkloadPacket] = []
        var nanoseconds: UInt64 = 0
        let clock = ContinuousClock()
        for index in 0..<speech.frameCount {
            let pcm = speech.frame(index)
            let start = clock.now
            let packet = try encoder.encode(pcm)
            let elapsed = clock.now - start
            nanoseconds += UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
            guard packet.count > 2 else { continue }
            packets.append(WorkloadPacket(
                captureTimeMicros: Int64(index) * 20_000, rtpTimestamp: UInt32(truncatingIfNeeded: index * 960),
                isFrameEnd: true, isFrameStart: true, isKeyFrame: false, payload: packet))
        }
        return (packets, nanoseconds)
    }
}
