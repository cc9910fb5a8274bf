/// Produces a workload file from a `SynthesisSpec` with real encoders (libvpx VP8, libopus).
///
/// Deterministic: the same spec (seed included) gives a byte-identical file. To scale, it
/// encodes at most `spec.maxDistinctSources` sources of each type (camera per device profile,
/// screen, microphone) and lets participants reuse them with different time shifts, recorded
/// in each stream's `timeShiftMicros` and in `manifest.synthesis`; 50 participants therefore
/// cost no more encoding than 3.
public struct WorkloadSynthesizer: Sendable {
    /// What was encoded and how long libvpx / libopus took (not written to the file).
    public struct Report: Sendable, Hashable {
        public struct Track: Sendable, Hashable {
            public var id: String
            public var frames: Int
            /// CPU time in the encoder for this track, nanoseconds.
            public var encodeNanoseconds: UInt64
        }
        public var tracks: [Track] = []
    }

    public let spec: SynthesisSpec

    public init(spec: SynthesisSpec) { self.spec = spec }

    private enum SourceType: String { case cameraDesktop = "cam-desktop", cameraMobile = "cam-mobile", screen, mic }

    private struct Plan {
        var id: String
        var role: WorkloadParticipant.Role
        var device: WorkloadParticipant.Device
        var sources: [(SourceType, Int)] = []   // source type and distinct-source index
        var shift: Int64
    }

    /// Encodes the sources, writes the workload to `path` (temporary file, then rename).
    /// Throws `WorkloadError` or `CodecError`.
    @discardableResult
    public func write(to path: String) throws -> Report {
        try spec.validate()
        var random = SourceRandom(seed: spec.seed)
        let plans = makePlans(&random)
        var distinct: [SourceType: Int] = [:]
        for plan in plans { for (type, index) in plan.sources { distinct[type] = max(distinct[type] ?? 0, index + 1) } }

        let writer = try WorkloadWriter(path: path)
        var report = Report()
        var tracks: [String: [WorkloadTrack]] = [:]   // "type-index" -> encodings, lowest first
        for type in [SourceType.mic, .cameraDesktop, .cameraMobile, .screen] {
            for index in 0..<(distinct[type] ?? 0) {
                let sourceSeed = spec.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0x1000_0001 &+ UInt64(type.rawValue.count)
                tracks["\(type.rawValue)-\(index)"] = try encode(type, index: index, seed: sourceSeed, writer: writer, report: &report)
            }
        }
        let manifest = makeManifest(
            participants: plans.map { ($0.id, $0.role, $0.device, $0.shift, $0.sources.map { ($0.0.rawValue, $0.1) }) },
            tracks: tracks, distinct: distinct.values.max() ?? 0)
        try writer.finish(manifest)
        return report
    }

    private func makePlans(_ random: inout SourceRandom) -> [Plan] {
        let width = max(2, String(spec.participants).count)
        let spread = spec.joinSpreadMicros ?? min(3_000_000, spec.durationMicros / 3)
        var counters: [SourceType: Int] = [:]
        func next(_ type: SourceType) -> (SourceType, Int) {
            let ordinal = counters[type, default: 0]
            counters[type] = ordinal + 1
            return (type, ordinal % spec.maxDistinctSources)
        }
        var plans: [Plan] = []
        for number in 0..<spec.participants {
            let id = "p" + String(repeating: "0", count: width - String(number + 1).count) + String(number + 1)
            let device: WorkloadParticipant.Device
            switch spec.device {
            case .desktop: device = .desktop
            case .mobile: device = .mobile
            case .mixed: device = number == 0 || random.next(below: 2) == 0 ? .desktop : .mobile
            }
            let shift = number == 0 ? 0 : Int64(random.nextUnit() * Double(spread))
            var plan = Plan(id: id, role: .publisher, device: device, shift: shift)
            let camera: SourceType = device == .desktop ? .cameraDesktop : .cameraMobile
            switch spec.kind {
            case .meeting: plan.sources = [next(.mic), next(camera)]
            case .webinar:
                if number == 0 { plan.sources = [next(.mic), next(camera)] } else { plan.role = .viewer }
            case .screen: plan.sources = number == 0 ? [next(.mic), next(.screen)] : [next(.mic)]
            case .audio: plan.sources = [next(.mic)]
            }
            plans.append(plan)
        }
        return plans
    }

    private func encode(_ type: SourceType, index: Int, seed: UInt64, writer: WorkloadWriter, report: inout Report) throws -> [WorkloadTrack] {
        let base = "\(type.rawValue)-\(index)"
        if type == .mic {
            let frames = Int(spec.durationMicros / 20_000)
            let speech = SpeechSource(frameCount: frames, seed: seed, startsTalking: index % 2 == 0)
            let configuration = OpusEncoder.Configuration()
            let (packets, nanoseconds) = try SourceEncoder.encodeSpeech(speech, configuration: configuration)
            let track = WorkloadTrack(id: base, kind: .audio, codec: "opus", clockRate: 48_000, frameRate: 50,
                                      targetBitrate: configuration.bitrate,
                                      source: "speech seed=\(seed) P.59 spurts=\(speech.spurts.count) dtx fec",
                                      durationMicros: spec.durationMicros)
            report.tracks.append(.init(id: base, frames: frames, encodeNanoseconds: nanoseconds))
            return [try write(track, packets, writer)]
        }
        let profile: VideoProfile = type == .cameraDesktop ? .desktop : type == .cameraMobile ? .mobile : .screen
        let frames = Int(spec.durationMicros * Int64(profile.frameRate) / 1_000_000)
        let keyInterval = spec.keyFrameIntervalSeconds * profile.frameRate
        let output: SourceEncoder.VideoOutput
        let sourceName: String
        if type == .screen {
            let screen = ScreenShareSource(width: profile.width, height: profile.height, frameRate: profile.frameRate, seed: seed)
            sourceName = "screen seed=\(seed) slides every \(screen.slideInterval) s"
            output = try SourceEncoder.encodeVideo(profile: profile, frameCount: frames, keyFrameInterval: keyInterval, seed: seed,
                                                   spoolPrefix: writer.path + ".spool-\(base)") { screen.frame($0) }
        } else {
            let camera = CameraSource(width: profile.width, height: profile.height, frameRate: profile.frameRate, seed: seed)
            sourceName = "camera seed=\(seed)"
            if spec.videoCodec == .vp9 {
                return [try encodeSVC(base, profile: profile, camera: camera, frames: frames, keyInterval: keyInterval,
                                      seed: seed, sourceName: sourceName, writer: writer, report: &report)]
            }
            output = try SourceEncoder.encodeVideo(profile: profile, frameCount: frames, keyFrameInterval: keyInterval, seed: seed,
                                                   spoolPrefix: writer.path + ".spool-\(base)") { camera.frame($0) }
        }
        let pattern = TemporalLayerPattern(layerCount: profile.temporalLayers)
        var tracks: [WorkloadTrack] = []
        for (layer, encoding) in profile.encodings.enumerated() {
            let id = encoding.rid.isEmpty ? base : "\(base)-\(encoding.rid)"
            var cumulative = 0.0
            let layerTargets = pattern.layerShares.map { share -> Int in
                cumulative += share
                return Int((Double(encoding.targetBitrate) * cumulative).rounded())
            }
            let track = WorkloadTrack(
                id: id, kind: .video, codec: "VP8", clockRate: 90_000, width: profile.width / encoding.divisor,
                height: profile.height / encoding.divisor, frameRate: profile.frameRate, targetBitrate: encoding.targetBitrate,
                layerTargetBitrates: layerTargets, scalabilityMode: pattern.scalabilityMode,
                source: "\(sourceName) \(profile.name) \(profile.width)x\(profile.height)@\(profile.frameRate)",
                durationMicros: spec.durationMicros)
            report.tracks.append(.init(id: id, frames: frames, encodeNanoseconds: output.encodeNanoseconds[layer]))
            var records = try output.spools[layer].records(for: track)
            try writer.beginTrack(track)
            while let packet = try records.next() { try writer.append(packet) }
            tracks.append(try writer.endTrack())
        }
        return tracks
    }

    private func encodeSVC(_ id: String, profile: VideoProfile, camera: CameraSource, frames: Int, keyInterval: Int, seed: UInt64,
                           sourceName: String, writer: WorkloadWriter, report: inout Report) throws -> WorkloadTrack {
        let (spool, nanoseconds) = try SourceEncoder.encodeVP9(profile: profile, frameCount: frames, keyFrameInterval: keyInterval,
                                                               seed: seed, spoolPrefix: writer.path + ".spool-\(id)") { camera.frame($0) }
        let configuration = VP9Encoder.Configuration(width: profile.width, height: profile.height, frameRate: profile.frameRate,
                                                     spatialBitrates: profile.svcSpatialBitrates, temporalLayers: profile.temporalLayers)
        let pattern = TemporalLayerPattern(layerCount: profile.temporalLayers)
        let track = WorkloadTrack(
            id: id, kind: .video, codec: "VP9", clockRate: 90_000, width: profile.width, height: profile.height,
            frameRate: profile.frameRate, targetBitrate: profile.svcSpatialBitrates.reduce(0, +),
            layerTargetBitrates: VP9Encoder.layerTargets(configuration, pattern: pattern), scalabilityMode: configuration.scalabilityMode,
            source: "\(sourceName) \(profile.name) \(profile.width)x\(profile.height)@\(profile.frameRate)", durationMicros: spec.durationMicros)
        report.tracks.append(.init(id: id, frames: frames, encodeNanoseconds: nanoseconds))
        var records = try spool.records(for: track)
        try writer.beginTrack(track)
        while let packet = try records.next() { try writer.append(packet) }
        return try writer.endTrack()
    }

    private func write(_ track: WorkloadTrack, _ packets: [WorkloadPacket], _ writer: WorkloadWriter) throws -> WorkloadTrack {
        try writer.beginTrack(track)
        for packet in packets { try writer.append(packet) }
        return try writer.endTrack()
    }
}
