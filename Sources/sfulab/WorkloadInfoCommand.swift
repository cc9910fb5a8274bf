import ArgumentParser
import Foundation
import Media

/// `sfulab workload info`: participants, streams, duration, bitrates per encoding and layer, key frames.
struct WorkloadInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a workload file: participants, streams, bitrates per encoding and temporal layer, key frames."
    )

    @Argument(help: "Workload file.") var file: String
    @Flag(help: "Machine-readable output.") var json = false

    /// Measured statistics of one track, from reading every record.
    struct TrackStats: Codable {
        var id: String
        var codec: String
        var resolution: String?
        var frameRate: Int?
        var scalabilityMode: String?
        var targetBitrate: Int
        var measuredBitrate: Int
        /// Bits per second carried by each temporal layer alone (TL0, TL1, TL2).
        var layerBitrates: [Int]
        /// Bits per second carried by each spatial layer alone (VP9 SVC; one entry otherwise).
        var spatialBitrates: [Int]
        var packets: Int
        var frames: Int
        var keyFrames: Int
        var keyFrameTimesMicros: [Int64]
    }

    func run() throws {
        let reader: WorkloadReader
        var stats: [TrackStats] = []
        do {
            reader = try WorkloadReader(path: file)
            for track in reader.manifest.tracks { stats.append(try measure(reader, track)) }
        } catch let error as WorkloadError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let manifest = reader.manifest
        if json {
            struct Output: Codable { var file: String; var manifest: WorkloadManifest; var tracks: [TrackStats] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(Output(file: file, manifest: manifest, tracks: stats)), as: UTF8.self))
            return
        }
        print("\(file): format v\(reader.fileVersion), \(Double(manifest.durationMicros) / 1e6) s, \(manifest.participants.count) participants, \(manifest.tracks.count) tracks, \(manifest.events.count) events")
        if let synthesis = manifest.synthesis {
            print("synthesized: \(synthesis.kind), \(synthesis.device), seed \(synthesis.seed), \(synthesis.distinctSources) distinct sources per type")
        }
        if let recording = manifest.recording {
            print("recorded live: \(recording.source), \(recording.framesLost) tap frames lost, devices \(recording.devicesKnown ? "known" : "unknown (written as desktop)")")
        }
        print("tracks:")
        for track in stats {
            var layers = track.layerBitrates.count > 1 ? " temporal " + track.layerBitrates.map { "\($0 / 1000)" }.joined(separator: "/") + " kb/s" : ""
            if track.spatialBitrates.count > 1 { layers += ", spatial " + track.spatialBitrates.map { "\($0 / 1000)" }.joined(separator: "/") + " kb/s" }
            print("  \(track.id) \(track.codec) \(track.resolution.map { $0 + " " } ?? "")\(track.frameRate.map { "\($0) fps " } ?? "")\(track.scalabilityMode ?? ""): \(track.measuredBitrate / 1000) kb/s (target \(track.targetBitrate / 1000))\(layers), \(track.frames) frames, \(track.packets) packets, \(track.keyFrames) key frames")
        }
        print("participants:")
        for participant in manifest.participants {
            let streams = participant.streams.map { stream in
                "\(stream.id) [\(stream.codec) \(stream.encodings.map { ($0.rid ?? "-") + ":" + $0.track }.joined(separator: ","))] +\(Double(stream.timeShiftMicros) / 1e6) s"
            }
            print("  \(participant.id) \(participant.role.rawValue) \(participant.device.rawValue): \(streams.isEmpty ? "no streams" : streams.joined(separator: "; ")); \(participant.subscriptions.count) subscriptions")
        }
    }

    private func measure(_ reader: WorkloadReader, _ track: WorkloadTrack) throws -> TrackStats {
        var cursor = try reader.packets(track: track.id)
        var bytes = 0, packets = 0, frames = 0
        var layerBytes = [Int](repeating: 0, count: 8)
        var spatialBytes = [Int](repeating: 0, count: 8)
        var keyTimes: [Int64] = []
        while let packet = try cursor.next() {
            bytes += packet.payload.count
            layerBytes[Int(packet.temporalLayer)] += packet.payload.count
            spatialBytes[Int(packet.spatialLayer)] += packet.payload.count
            packets += 1
            if packet.isFrameEnd { frames += 1 }
            if packet.isFrameStart && packet.isKeyFrame { keyTimes.append(packet.captureTimeMicros) }
        }
        let seconds = max(Double(track.durationMicros) / 1e6, 1e-3)
        let layerCount = track.scalabilityMode.flatMap { mode in mode.last.flatMap { Int(String($0)) } } ?? 1
        let spatialCount = track.scalabilityMode.flatMap { mode in mode.dropFirst().first.flatMap { Int(String($0)) } } ?? 1
        return TrackStats(
            id: track.id, codec: track.codec, resolution: track.width.map { "\($0)x\(track.height ?? 0)" }, frameRate: track.frameRate,
            scalabilityMode: track.scalabilityMode, targetBitrate: track.targetBitrate, measuredBitrate: Int(Double(bytes * 8) / seconds),
            layerBitrates: layerBytes.prefix(layerCount).map { Int(Double($0 * 8) / seconds) },
            spatialBitrates: spatialBytes.prefix(spatialCount).map { Int(Double($0 * 8) / seconds) },
            packets: packets, frames: frames, keyFrames: keyTimes.count, keyFrameTimesMicros: keyTimes)
    }
}
