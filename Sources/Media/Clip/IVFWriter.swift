/// Builds an IVF file (the container libvpx's tools use): a 32-byte header, then per frame a
/// 12-byte header (size u32, pts u64, little-endian) and the frame. Time base 1/90000.
public struct IVFWriter: Sendable {
    public let fourCC: String
    public let width: Int
    public let height: Int
    private var frames: [UInt8] = []
    /// Number of frames added.
    public private(set) var frameCount = 0

    /// `fourCC` is `"VP80"` or `"VP90"`.
    public init(fourCC: String, width: Int, height: Int) {
        self.fourCC = fourCC
        self.width = width
        self.height = height
    }

    /// Appends one compressed frame with its presentation time in 90 kHz ticks.
    public mutating func append(frame: [UInt8], pts: UInt64) {
        LittleEndian.append(UInt32(frame.count), to: &frames)
        LittleEndian.append(pts, to: &frames)
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
        LittleEndian.append(UInt32(90_000), to: &header)
        LittleEndian.append(UInt32(1), to: &header)
        LittleEndian.append(UInt32(frameCount), to: &header)
        LittleEndian.append(UInt32(0), to: &header)
        return header + frames
    }
}
