@preconcurrency import Glibc

/// A temporary file of packet records for one encoding while its source is being encoded, so
/// that synthesis holds no more than a 64 KiB buffer per encoding in memory, however long the
/// session. The file is removed when the spool is dropped.
final class PacketSpool {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var length: Int64 = 0

    init(path: String) throws(WorkloadError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WorkloadError(.io, path: path, "cannot create spool: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        unlink(path)
    }

    func append(_ packet: WorkloadPacket) throws(WorkloadError) {
        PacketRecord.append(packet, to: &buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes and returns a cursor over everything appended, in order.
    func records(for track: WorkloadTrack) throws(WorkloadError) -> WorkloadPacketCursor {
        try flush()
        let file = try WorkloadFile(path: path)
        var range = track
        range.byteOffset = 0
        range.byteLength = length
        return WorkloadPacketCursor(file: file, path: path, track: range, timeShiftMicros: 0, endMicros: .max)
    }

    private func flush() throws(WorkloadError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + written, raw.count - written) }
            guard result > 0 else { throw WorkloadError(.io, path: path, "write to spool: \(String(cString: strerror(errno)))") }
            written += result
        }
        length += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
