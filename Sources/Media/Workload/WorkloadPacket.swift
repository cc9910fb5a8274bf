/// One RTP payload of a recorded or synthesized stream: the unit a simulated publisher sends.
public struct WorkloadPacket: Sendable, Hashable {
    /// Capture time of the frame this payload belongs to, microseconds from the start of the
    /// track (or, from a participant cursor, from the start of the session).
    public var captureTimeMicros: Int64
    /// RTP timestamp (48 kHz for Opus, 90 kHz for video), starting at 0 in the track.
    public var rtpTimestamp: UInt32
    /// Last payload of a frame: the RTP marker bit for video.
    public var isFrameEnd: Bool
    /// First payload of a frame.
    public var isFrameStart: Bool
    /// Part of a key frame.
    public var isKeyFrame: Bool
    /// Spatial layer id (0 for VP8 and Opus).
    public var spatialLayer: UInt8
    /// Temporal layer id (0 for Opus).
    public var temporalLayer: UInt8
    /// The RTP payload, VP8 payload descriptor included for VP8.
    public var payload: [UInt8]

    public init(captureTimeMicros: Int64, rtpTimestamp: UInt32, isFrameEnd: Bool, isFrameStart: Bool, isKeyFrame: Bool,
                spatialLayer: UInt8 = 0, temporalLayer: UInt8 = 0, payload: [UInt8]) {
        self.captureTimeMicros = captureTimeMicros
        self.rtpTimestamp = rtpTimestamp
        self.isFrameEnd = isFrameEnd
        self.isFrameStart = isFrameStart
        self.isKeyFrame = isKeyFrame
        self.spatialLayer = spatialLayer
        self.temporalLayer = temporalLayer
        self.payload = payload
    }
}

/// The binary layout of one packet record (format version 1), little-endian:
///
/// | offset | size | field |
/// | 0 | 1 | sync byte 0xA5 |
/// | 1 | 1 | flags: bit 0 frame end (marker), bit 1 frame start, bit 2 key frame; others 0 |
/// | 2 | 1 | spatial layer |
/// | 3 | 1 | temporal layer |
/// | 4 | 2 | payload length (1...1500) |
/// | 6 | 8 | capture time, µs (signed) |
/// | 14 | 4 | RTP timestamp |
/// | 18 | n | payload |
enum PacketRecord {
    static let sync: UInt8 = 0xA5
    static let headerSize = 18
    static let maxPayload = 1500

    static func append(_ packet: WorkloadPacket, to buffer: inout [UInt8]) {
        var flags: UInt8 = 0
        if packet.isFrameEnd { flags |= 1 }
        if packet.isFrameStart { flags |= 2 }
        if packet.isKeyFrame { flags |= 4 }
        buffer.append(sync)
        buffer.append(flags)
        buffer.append(packet.spatialLayer)
        buffer.append(packet.temporalLayer)
        LittleEndian.append(UInt16(packet.payload.count), to: &buffer)
        LittleEndian.append(UInt64(bitPattern: packet.captureTimeMicros), to: &buffer)
        LittleEndian.append(packet.rtpTimestamp, to: &buffer)
        buffer.append(contentsOf: packet.payload)
    }
}

/// Little-endian integer helpers for the workload file.
enum LittleEndian {
    static func append<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { buffer.append(contentsOf: $0) }
    }

    static func read<T: FixedWidthInteger>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + MemoryLayout<T>.size)]))
        }
        return T(littleEndian: value)
    }
}
