@preconcurrency import Glibc
import Foundation

/// Writes a workload file track by track without holding the packets in memory.
///
/// Everything goes to a temporary file next to `path` that replaces `path` (by `rename`) only
/// in `finish`; a writer dropped before `finish` removes its temporary file, so a reader never
/// sees a half-written workload. Not `Sendable`: one writer is used by one task.
public final class WorkloadWriter {
    /// The file this writer produces.
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var offset: Int64 = 0
    private var current: WorkloadTrack?
    private var lastCapture: Int64 = .min
    private var finished = false
    /// Tracks completed so far, with their byte ranges and counts filled in.
    public private(set) var tracks: [WorkloadTrack] = []

    /// Opens a temporary file next to `path`.
    public init(path: String) throws(WorkloadError) {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkloadError(.io, path: path, "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(1 << 16)
        buffer.append(contentsOf: WorkloadFileLayout.headerMagic)
        LittleEndian.append(UInt32(WorkloadManifest.currentVersion), to: &buffer)
        LittleEndian.append(UInt32(0), to: &buffer)
        offset = Int64(buffer.count)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !finished { unlink(temporaryPath) }
    }

    /// Starts the packet log of `track`; its byte range and counts are filled in by `endTrack`.
    public func beginTrack(_ track: WorkloadTrack) throws(WorkloadError) {
        guard current == nil else { throw WorkloadError(.usage, path: path, "beginTrack(\(track.id)) while \(current!.id) is open") }
        guard !tracks.contains(where: { $0.id == track.id }) else { throw WorkloadError(.usage, path: path, "duplicate track id \(track.id)") }
        var track = track
        track.byteOffset = offset
        track.byteLength = 0
        track.packetCount = 0
        track.frameCount = 0
        track.keyFrameCount = 0
        track.payloadBytes = 0
        current = track
        lastCapture = .min
    }

    /// Appends one packet to the open track. Capture times must not go backwards.
    public func append(_ packet: WorkloadPacket) throws(WorkloadError) {
        guard var track = current else { throw WorkloadError(.usage, path: path, "append without beginTrack") }
        guard (1...PacketRecord.maxPayload).contains(packet.payload.count) else {
            throw WorkloadError(.usage, path: path, "track \(track.id): payload of \(packet.payload.count) bytes (must be 1...\(PacketRecord.maxPayload))")
        }
        guard packet.captureTimeMicros >= lastCapture, packet.captureTimeMicros >= 0 else {
            throw WorkloadError(.usage, path: path, "track \(track.id): capture time \(packet.captureTimeMicros) µs goes backwards")
        }
        lastCapture = packet.captureTimeMicros
        PacketRecord.append(packet, to: &buffer)
        let size = Int64(PacketRecord.headerSize + packet.payload.count)
        offset += size
        track.byteLength += size
        track.packetCount += 1
        track.payloadBytes += Int64(packet.payload.count)
        if packet.isFrameEnd { track.frameCount += 1 }
        if packet.isFrameStart && packet.isKeyFrame { track.keyFrameCount += 1 }
        current = track
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Closes the open track and returns it with its byte range and counts.
    @discardableResult
    public func endTrack() throws(WorkloadError) -> WorkloadTrack {
        guard let track = current else { throw WorkloadError(.usage, path: path, "endTrack without beginTrack") }
        tracks.append(track)
        current = nil
        return track
    }

    /// Writes the manifest and trailer, syncs, and renames the file into place. The manifest's
    /// `tracks` are replaced by the tracks written here (same ids required).
    public func finish(_ manifest: WorkloadManifest) throws(WorkloadError) {
        guard current == nil else { throw WorkloadError(.usage, path: path, "finish while track \(current!.id) is open") }
        var manifest = manifest
        let written = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0) })
        for (index, track) in manifest.tracks.enumerated() {
            guard let done = written[track.id] else { throw WorkloadError(.usage, path: path, "manifest names track \(track.id) that was not written") }
            manifest.tracks[index] = done
        }
        guard manifest.tracks.count == tracks.count else {
            throw WorkloadError(.usage, path: path, "\(tracks.count - manifest.tracks.count) written tracks are missing from the manifest")
        }
        manifest.formatVersion = WorkloadManifest.currentVersion
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json: Data
        do { json = try encoder.encode(manifest) } catch {
            throw WorkloadError(.badManifest, path: path, "cannot encode manifest: \(error)")
        }
        let manifestOffset = offset
        buffer.append(contentsOf: json)
        LittleEndian.append(UInt64(manifestOffset), to: &buffer)
        LittleEndian.append(UInt64(json.count), to: &buffer)
        buffer.append(contentsOf: WorkloadFileLayout.trailerMagic)
        try flush()
        guard fsync(descriptor) == 0 else { throw WorkloadError(.io, path: path, "fsync: \(String(cString: strerror(errno)))") }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw WorkloadError(.io, path: path, "rename from \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        finished = true
    }

    private func flush() throws(WorkloadError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            guard result > 0 else {
                throw WorkloadError(.io, path: path, "write to \(temporaryPath): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
