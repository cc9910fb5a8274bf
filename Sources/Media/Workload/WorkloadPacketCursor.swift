/// Streams the packet records of one track from disk, checking each record as it goes.
/// Obtained from `WorkloadReader.packets(track:)` or `packets(participant:stream:rid:)`.
public struct WorkloadPacketCursor: Sendable {
    /// The track being read.
    public let track: WorkloadTrack
    /// Added to every capture time (the stream's time shift).
    public let timeShiftMicros: Int64
    /// Iteration stops before the first packet at or after this (shifted) time.
    public let endMicros: Int64
    private let file: WorkloadFile
    private let path: String
    private var position: Int64
    private let end: Int64
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0
    private var lastCapture: Int64 = .min
    private static let chunk = 1 << 16

    init(file: WorkloadFile, path: String, track: WorkloadTrack, timeShiftMicros: Int64, endMicros: Int64) {
        self.file = file
        self.path = path
        self.track = track
        self.timeShiftMicros = timeShiftMicros
        self.endMicros = endMicros
        position = track.byteOffset
        end = track.byteOffset + track.byteLength
    }

    /// Byte offset of the next record in the file.
    public var byteOffset: Int64 { position }

    /// Bytes of the file this cursor holds in memory (at most 64 KiB, or one record if larger).
    var bufferedBytes: Int { buffer.count }

    /// The next packet, or nil at the end of the track (or of the session). Throws
    /// `WorkloadError` naming the file and byte offset of a truncated or malformed record.
    public mutating func next() throws(WorkloadError) -> WorkloadPacket? {
        guard position < end else { return nil }
        let recordStart = position
        guard end - position >= Int64(PacketRecord.headerSize) else {
            throw corrupt(recordStart, "record header runs past the end of track \(track.id) (ends at \(end))")
        }
        let header = try bytes(count: PacketRecord.headerSize)
        let (sync, flags, spatial, temporal, length, capture, timestamp) = header.withUnsafeBytes { raw in
            (raw[0], raw[1], raw[2], raw[3], Int(LittleEndian.read(UInt16.self, from: raw, at: 4)),
             Int64(bitPattern: LittleEndian.read(UInt64.self, from: raw, at: 6)), LittleEndian.read(UInt32.self, from: raw, at: 14))
        }
        guard sync == PacketRecord.sync else { throw corrupt(recordStart, "bad record sync byte 0x\(String(sync, radix: 16)) (expected 0xa5)") }
        guard flags & 0xF8 == 0, spatial < 8, temporal < 8 else {
            throw corrupt(recordStart, "bad record flags 0x\(String(flags, radix: 16)) or layers S\(spatial) T\(temporal)")
        }
        guard (1...PacketRecord.maxPayload).contains(length) else { throw corrupt(recordStart, "bad payload length \(length)") }
        guard capture >= 0, capture >= lastCapture else { throw corrupt(recordStart, "capture time \(capture) µs goes backwards") }
        guard end - position >= Int64(length) else {
            throw corrupt(recordStart, "payload of \(length) bytes runs past the end of track \(track.id) (ends at \(end))")
        }
        let payload = try bytes(count: length)
        lastCapture = capture
        let shifted = capture + timeShiftMicros
        if shifted >= endMicros {
            position = end
            return nil
        }
        return WorkloadPacket(captureTimeMicros: shifted, rtpTimestamp: timestamp, isFrameEnd: flags & 1 != 0,
                              isFrameStart: flags & 2 != 0, isKeyFrame: flags & 4 != 0,
                              spatialLayer: spatial, temporalLayer: temporal, payload: Array(payload))
    }

    private func corrupt(_ offset: Int64, _ message: String) -> WorkloadError {
        WorkloadError(.corrupt, path: path, byteOffset: offset, "track \(track.id): \(message)")
    }

    /// The next `count` bytes at `position`, refilling the buffer from the file as needed.
    private mutating func bytes(count: Int) throws(WorkloadError) -> ArraySlice<UInt8> {
        let bufferEnd = bufferStart + Int64(buffer.count)
        if position < bufferStart || position + Int64(count) > bufferEnd {
            let want = Int(min(Int64(max(count, Self.chunk)), end - position))
            buffer = try file.read(at: position, count: want)
            bufferStart = position
        }
        let start = Int(position - bufferStart)
        position += Int64(count)
        return buffer[start..<(start + count)]
    }
}
