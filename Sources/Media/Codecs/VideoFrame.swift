/// One uncompressed video picture in I420 (planar Y, then U and V at half resolution).
public struct VideoFrame: Sendable, Hashable {
    /// Width in pixels (even).
    public let width: Int
    /// Height in pixels (even).
    public let height: Int
    /// Y plane (`width * height` bytes) followed by U and V planes (`width/2 * height/2` bytes each).
    public var planes: [UInt8]

    /// A mid-grey picture of the given size; `width` and `height` must be even.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0, "I420 needs even, positive dimensions")
        self.width = width
        self.height = height
        self.planes = [UInt8](repeating: 128, count: width * height * 3 / 2)
    }

    /// Byte offset of the U plane in `planes`.
    public var uOffset: Int { width * height }
    /// Byte offset of the V plane in `planes`.
    public var vOffset: Int { width * height + (width / 2) * (height / 2) }

    /// This picture scaled down by an integer factor (box filter), as a simulcast sender does.
    public func downscaled(by factor: Int) -> VideoFrame {
        precondition(factor >= 1 && width % (2 * factor) == 0 && height % (2 * factor) == 0, "factor must divide the size")
        if factor == 1 { return self }
        var result = VideoFrame(width: width / factor, height: height / factor)
        let area = factor * factor
        let (targetW, targetH, targetU, targetV) = (result.width, result.height, result.uOffset, result.vOffset)
        planes.withUnsafeBufferPointer { source in
            result.planes.withUnsafeMutableBufferPointer { target in
                // (source offset, target offset, source width, target width, target height)
                let layout = [(0, 0, width, targetW, targetH),
                              (uOffset, targetU, width / 2, targetW / 2, targetH / 2),
                              (vOffset, targetV, width / 2, targetW / 2, targetH / 2)]
                for (sourceBase, targetBase, sourceWidth, targetWidth, targetHeight) in layout {
                    for y in 0..<targetHeight {
                        for x in 0..<targetWidth {
                            var sum = 0
                            for dy in 0..<factor {
                                let row = sourceBase + (y * factor + dy) * sourceWidth + x * factor
                                for dx in 0..<factor { sum += Int(source[row + dx]) }
                            }
                            target[targetBase + y * targetWidth + x] = UInt8(sum / area)
                        }
                    }
                }
            }
        }
        return result
    }
}
