/// Builds an IVF file (the container libvpx's tools use): a 32-byte header, then per frame a
/// 12-byte header (size u32, pts u64, little-endian) and the frame. Time base 1/`framesPerSecond`
/// with pts counted in frames, as libvpx's ivfenc writes it: the header's length field is then
/// both the frame count (libvpx reads it so) and the duration in time-base units (ffmpeg reads it
/// so), and both tools agree on the clip's duration.
public struct IVFWriter: Sendable {
    public let fourCC: String
    public let width: Int
    public let height: Int
    /// Frames per second: the time base is 1/framesPerSecond.
    public let framesPerSecond: Int
    private var frames: [UInt8] = []
    /// Number of frames added.
    public private(set) var frameCount = 0

    /// `fourCC` is `"VP80"` or `"VP90"`.
    public init(fourCC: String, width: Int, height: Int, framesPerSecond: Int = 30) {
        self.fourCC = fourCC
        self.framesPerSecond = max(1, framesPerSecond)
        self.width = width
        self.height = height
    }

    /// Appends one compressed frame presented `ticks` of the 90 kHz RTP clock after the first.
    public mutating func append(frame: [UInt8], ticks: UInt64) {
        LittleEndian.append(UInt32(frame.count), to: &frames)
        LittleEndian.append((ticks * UInt64(framesPerSecond) + 45_000) / 90_000, to: &frames)
        frames.append(contentsOf: frame)
        frameCount += 1
    }

    /// The whole file.
    public var bytes: [UInt8] {
        var header: [UInt8] = Array("DKIF".utf8)
        LittleEndian.append(UInt16(0), to: &header)
        LittleEndian.append(UInt16(32), to: &header)
        header.append(contentsOf: Array(fourCC.utf8.prefix(4)))
        LittleEndian.append(UInt16(width), to: &header)
        LittleEndian.append(UInt16(height), to: &header)
        LittleEndian.append(UInt32(framesPerSecond), to: &header)
        LittleEndian.append(UInt32(1), to: &header)
        LittleEndian.append(UInt32(frameCount), to: &header)
        LittleEndian.append(UInt32(0), to: &header)
        return header + frames
    }
}
