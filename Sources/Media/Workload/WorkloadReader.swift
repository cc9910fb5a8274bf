@preconcurrency import Glibc
import Foundation

/// Opens a workload file: checks the header and trailer, reads the manifest, and hands out
/// cursors that stream packet records from disk (64 KiB at a time per cursor), so a replay of
/// many participants never holds the whole file in memory.
///
/// Usage:
/// ```swift
/// let reader = try WorkloadReader(path: "meeting.sfuw")
/// for participant in reader.manifest.participants {
///     for stream in participant.streams {
///         var cursor = try reader.packets(participant: participant.id, stream: stream.id, rid: "f")
///         while let packet = try cursor.next() { /* send at packet.captureTimeMicros */ }
///     }
/// }
/// ```
public final class WorkloadReader: Sendable {
    /// The file being read.
    public let path: String
    /// The manifest, upgraded to the current format version.
    public let manifest: WorkloadManifest
    /// Format version the file was written with.
    public let fileVersion: Int
    /// Size of the file in bytes.
    public let fileSize: Int64
    let file: WorkloadFile

    /// Opens `path`. Throws `WorkloadError` naming the file and byte offset when the file is
    /// missing, truncated, not a workload, from a newer sfulab, or has a malformed manifest.
    public init(path: String, migrations: WorkloadMigrations = .builtIn) throws(WorkloadError) {
        self.path = path
        file = try WorkloadFile(path: path)
        fileSize = file.size
        let minimum = Int64(WorkloadFileLayout.headerSize + WorkloadFileLayout.trailerSize)
        let header = try file.read(at: 0, count: Int(min(fileSize, 16)))
        guard header.count >= 8, Array(header[0..<8]) == WorkloadFileLayout.headerMagic else {
            throw WorkloadError(.notAWorkload, path: path, byteOffset: 0, "not an sfulab workload file (expected magic \"SFULABWL\")")
        }
        guard fileSize >= minimum else {
            throw WorkloadError(.truncated, path: path, byteOffset: fileSize, "file ends after \(fileSize) bytes, before the header and trailer (\(minimum) bytes); it was truncated")
        }
        let version = header.withUnsafeBytes { Int(LittleEndian.read(UInt32.self, from: $0, at: 8)) }
        fileVersion = version
        guard version <= WorkloadManifest.currentVersion else {
            throw WorkloadError(.newerVersion, path: path, byteOffset: 8,
                                "format version \(version) is newer than this sfulab reads (up to \(WorkloadManifest.currentVersion)); upgrade sfulab")
        }
        let trailerOffset = fileSize - Int64(WorkloadFileLayout.trailerSize)
        let trailer = try file.read(at: trailerOffset, count: WorkloadFileLayout.trailerSize)
        guard Array(trailer[16..<24]) == WorkloadFileLayout.trailerMagic else {
            throw WorkloadError(.truncated, path: path, byteOffset: trailerOffset,
                                "no trailer (\"SFUWLEND\") at the end of the file: it was truncated or never finished; re-create it")
        }
        let (manifestOffset, manifestLength) = trailer.withUnsafeBytes {
            (LittleEndian.read(UInt64.self, from: $0, at: 0), LittleEndian.read(UInt64.self, from: $0, at: 8))
        }
        guard manifestLength <= WorkloadFileLayout.maxManifestSize, manifestOffset >= UInt64(WorkloadFileLayout.headerSize),
              manifestOffset + manifestLength == UInt64(trailerOffset) else {
            throw WorkloadError(.corrupt, path: path, byteOffset: trailerOffset,
                                "trailer points at a manifest of \(manifestLength) bytes at \(manifestOffset), which does not end at the trailer")
        }
        var json = try file.read(at: Int64(manifestOffset), count: Int(manifestLength))
        var upgradedFrom = version
        while upgradedFrom < WorkloadManifest.currentVersion {
            guard let step = migrations.steps[upgradedFrom] else {
                throw WorkloadError(.unsupportedVersion, path: path, byteOffset: 8, "format version \(upgradedFrom) has no migration to version \(upgradedFrom + 1)")
            }
            do { json = try step(json) } catch {
                throw WorkloadError(.badManifest, path: path, byteOffset: Int64(manifestOffset), "migration from version \(upgradedFrom) failed: \(error)")
            }
            upgradedFrom += 1
        }
        var decoded: WorkloadManifest
        do { decoded = try JSONDecoder().decode(WorkloadManifest.self, from: Data(json)) } catch {
            throw WorkloadError(.badManifest, path: path, byteOffset: Int64(manifestOffset), "manifest is not valid: \(error)")
        }
        decoded.formatVersion = WorkloadManifest.currentVersion
        for track in decoded.tracks {
            guard track.byteOffset >= Int64(WorkloadFileLayout.headerSize), track.byteLength >= 0,
                  track.byteOffset + track.byteLength <= Int64(manifestOffset) else {
                throw WorkloadError(.badManifest, path: path, byteOffset: Int64(manifestOffset),
                                    "track \(track.id) claims bytes \(track.byteOffset)..<\(track.byteOffset + track.byteLength), outside the record area")
            }
        }
        manifest = decoded
    }

    /// A cursor over one track's packets, with capture times as recorded (track time).
    public func packets(track id: String) throws(WorkloadError) -> WorkloadPacketCursor {
        guard let track = manifest.track(id) else {
            throw WorkloadError(.unknownTrack, path: path, "no track \(id); tracks: \(manifest.tracks.map(\.id).joined(separator: ", "))")
        }
        return WorkloadPacketCursor(file: file, path: path, track: track, timeShiftMicros: 0, endMicros: .max)
    }

    /// A cursor over what `participant` sends on `stream` (encoding `rid`, or the only encoding
    /// when nil), in session time: the track's capture times plus the stream's time shift,
    /// ending at the session's end.
    public func packets(participant: String, stream: String, rid: String? = nil) throws(WorkloadError) -> WorkloadPacketCursor {
        guard let owner = manifest.participant(participant) else {
            throw WorkloadError(.unknownTrack, path: path, "no participant \(participant)")
        }
        guard let published = owner.streams.first(where: { $0.id == stream }) else {
            throw WorkloadError(.unknownTrack, path: path, "participant \(participant) has no stream \(stream)")
        }
        guard let encoding = rid == nil && published.encodings.count == 1 ? published.encodings.first
                : published.encodings.first(where: { $0.rid == rid }) else {
            throw WorkloadError(.unknownTrack, path: path, "stream \(stream) has no encoding \(rid ?? "nil"); rids: \(published.encodings.map { $0.rid ?? "-" })")
        }
        guard let track = manifest.track(encoding.track) else {
            throw WorkloadError(.unknownTrack, path: path, "stream \(stream) names missing track \(encoding.track)")
        }
        return WorkloadPacketCursor(file: file, path: path, track: track, timeShiftMicros: published.timeShiftMicros,
                                    endMicros: manifest.durationMicros)
    }
}

/// An open file read with `pread`; the descriptor is closed in `deinit`.
///
/// `@unchecked Sendable`: the descriptor is never changed after `init` and `pread` carries its
/// own offset, so concurrent cursors on different threads are safe.
final class WorkloadFile: @unchecked Sendable {
    let path: String
    let descriptor: Int32
    let size: Int64

    init(path: String) throws(WorkloadError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WorkloadError(.io, path: path, "cannot open: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw WorkloadError(.io, path: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at `offset`, or throws naming the offset.
    func read(at offset: Int64, count: Int) throws(WorkloadError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if result < 0 { throw WorkloadError(.io, path: path, byteOffset: offset + Int64(done), "read failed: \(String(cString: strerror(errno)))") }
            if result == 0 { throw WorkloadError(.truncated, path: path, byteOffset: offset + Int64(done), "file ends early; it was truncated") }
            done += result
        }
        return bytes
    }
}
