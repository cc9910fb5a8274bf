/// Splits a VP9 superframe (VP9 bitstream spec, Annex B) into its frames, and joins frames into one.
///
/// The index is at the end: a marker byte `110mmfff` (frames = fff + 1, bytes per size = mm + 1),
/// the frame sizes little-endian, and the marker byte again.
public enum VP9Superframe {
    /// The frames of `data`, or `[data]` when it has no superframe index.
    public static func split(_ data: [UInt8]) -> [[UInt8]] {
        guard let marker = data.last, marker & 0xE0 == 0xC0 else { return [data] }
        let frames = Int(marker & 0x7) + 1
        let sizeBytes = Int((marker >> 3) & 0x3) + 1
        let indexSize = 2 + sizeBytes * frames
        guard data.count >= indexSize, data[data.count - indexSize] == marker else { return [data] }
        var sizes: [Int] = []
        var position = data.count - indexSize + 1
        for _ in 0..<frames {
            var size = 0
            for byte in 0..<sizeBytes { size |= Int(data[position + byte]) << (8 * byte) }
            sizes.append(size)
            position += sizeBytes
        }
        guard sizes.reduce(0, +) <= data.count - indexSize else { return [data] }
        var result: [[UInt8]] = []
        var start = 0
        for size in sizes where size > 0 {
            result.append(Array(data[start..<(start + size)]))
            start += size
        }
        return result
    }

    /// `frames` (at most 8) as one superframe with an index, as libvpx's encoder emits a
    /// picture of several spatial layers; a single frame is returned unchanged.
    public static func join(_ frames: [[UInt8]]) -> [UInt8] {
        guard frames.count > 1 else { return frames.first ?? [] }
        precondition(frames.count <= 8, "a VP9 superframe holds at most 8 frames")
        let largest = frames.map(\.count).max() ?? 0
        let sizeBytes = largest < 1 << 8 ? 1 : largest < 1 << 16 ? 2 : largest < 1 << 24 ? 3 : 4
        let marker = 0xC0 | UInt8(sizeBytes - 1) << 3 | UInt8(frames.count - 1)
        var data = frames.flatMap { $0 }
        data.append(marker)
        for frame in frames {
            for byte in 0..<sizeBytes { data.append(UInt8(truncatingIfNeeded: frame.count >> (8 * byte))) }
        }
        data.append(marker)
        return data
    }
}
