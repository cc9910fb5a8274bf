/// A deterministic synthetic screen share: slides of text-like blocks on a light background
/// that stay still, with a new slide every `slideInterval` seconds and a blinking text
/// cursor in between, at a low frame rate (default 5 fps) as screen capture runs.
public struct ScreenShareSource: Sendable {
    public let width: Int
    public let height: Int
    public let frameRate: Int
    /// Seconds between slide changes.
    public let slideInterval: Int
    private let seed: UInt64

    /// Creates a screen source; `width` and `height` must be multiples of 16.
    public init(width: Int = 1280, height: Int = 720, frameRate: Int = 5, slideInterval: Int = 10, seed: UInt64) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.slideInterval = slideInterval
        self.seed = seed
    }

    /// Slide number shown at frame `index`.
    public func slide(at index: Int) -> Int { index / (frameRate * slideInterval) }

    /// Whether frame `index` shows a different slide from the frame before it.
    public func isSlideChange(at index: Int) -> Bool { index > 0 && slide(at: index) != slide(at: index - 1) }

    /// The picture at `index`.
    public func frame(_ index: Int) -> VideoFrame {
        var frame = VideoFrame(width: width, height: height)
        var random = SourceRandom(seed: seed &+ UInt64(slide(at: index)) &* 0x9E37)
        let (w, h) = (width, height)
        let uOffset = frame.uOffset
        frame.planes.withUnsafeMutableBufferPointer { planes in
            for i in 0..<(w * h) { planes[i] = 235 }
            // Title bar.
            fill(planes, x: 0, y: 0, width: w, height: h / 10, value: 60, stride: w)
            // Lines of "words": dark blocks of random length with glyph-like gaps.
            var y = h / 10 + 24
            while y + 12 < h - 16 {
                var x = 32 + (random.next(below: 3) == 0 ? 32 : 0)
                let lineEnd = w - 32 - random.next(below: w / 3)
                while x < lineEnd {
                    let word = 12 + random.next(below: 60)
                    var gx = x
                    while gx < min(x + word, lineEnd) {
                        let glyph = 3 + random.next(below: 5)
                        let top = random.next(below: 3)
                        fill(planes, x: gx, y: y + top, width: glyph, height: 10 - top, value: UInt8(20 + random.next(below: 40)), stride: w)
                        gx += glyph + 1
                    }
                    x += word + 8
                }
                y += 22 + (random.next(below: 6) == 0 ? 18 : 0)
            }
            // Blinking cursor: the only change between slide changes.
            if (index / max(1, frameRate / 2)) % 2 == 0 {
                fill(planes, x: w - 40, y: h - 30, width: 2, height: 14, value: 0, stride: w)
            }
            // Chroma: neutral, with a coloured title bar.
            for i in uOffset..<(w * h * 3 / 2) { planes[i] = 128 }
            for yy in 0..<(h / 20) {
                for xx in 0..<(w / 2) { planes[uOffset + yy * (w / 2) + xx] = 170 }
            }
        }
        return frame
    }

    private func fill(_ planes: UnsafeMutableBufferPointer<UInt8>, x: Int, y: Int, width: Int, height: Int, value: UInt8, stride: Int) {
        let maxY = min(y + height, self.height), maxX = min(x + width, self.width)
        guard x < maxX, y < maxY else { return }
        for row in y..<maxY {
            for column in x..<maxX { planes[row * stride + column] = value }
        }
    }
}
