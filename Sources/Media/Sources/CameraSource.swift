#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A deterministic synthetic camera: a textured background that pans slowly, a textured
/// "head" that sways in front of it, and fresh sensor noise on every frame, so that a VP8
/// encoder spends bits the way it does on a real webcam (motion plus detail plus noise).
///
/// The same seed, size and frame index always give the same picture.
public struct CameraSource: Sendable {
    public let width: Int
    public let height: Int
    public let frameRate: Int
    private let background: [UInt8]   // (2w x 2h) luma texture
    private let noise: [UInt8]         // centred on 128; a window into it is each frame's noise
    private let phase: Double
    private let noiseAmplitude: Int

    /// Creates a camera of the given size (even numbers) and frame rate. `noiseAmplitude`
    /// is the peak sensor noise in luma steps (default 6).
    public init(width: Int, height: Int, frameRate: Int, seed: UInt64, noiseAmplitude: Int = 6) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.noiseAmplitude = noiseAmplitude
        var random = SourceRandom(seed: seed)
        phase = random.nextUnit() * 2 * .pi
        // Background: smoothed random blobs at two scales, like a room full of objects.
        let tw = width * 2, th = height * 2
        var coarse = [Double](repeating: 0, count: (tw / 16 + 2) * (th / 16 + 2))
        for i in coarse.indices { coarse[i] = random.nextUnit() }
        var texture = [UInt8](repeating: 0, count: tw * th)
        let cw = tw / 16 + 2
        for y in 0..<th {
            for x in 0..<tw {
                let fx = Double(x) / 16, fy = Double(y) / 16
                let x0 = Int(fx), y0 = Int(fy)
                let ax = fx - Double(x0), ay = fy - Double(y0)
                let top = coarse[y0 * cw + x0] * (1 - ax) + coarse[y0 * cw + x0 + 1] * ax
                let bottom = coarse[(y0 + 1) * cw + x0] * (1 - ax) + coarse[(y0 + 1) * cw + x0 + 1] * ax
                let smooth = top * (1 - ay) + bottom * ay
                let fine = Double(random.next(below: 48)) - 24
                texture[y * tw + x] = UInt8(max(16, min(235, 40 + smooth * 170 + fine)))
            }
        }
        background = texture
        var noiseTable = [UInt8](repeating: 128, count: 1 << 16)
        for i in noiseTable.indices {
            noiseTable[i] = UInt8(128 + random.next(below: 2 * noiseAmplitude + 1) - noiseAmplitude)
        }
        noise = noiseTable
    }

    /// The picture at `index` (0-based frame number).
    public func frame(_ index: Int) -> VideoFrame {
        var frame = VideoFrame(width: width, height: height)
        let t = Double(index) / Double(frameRate)
        // Slow camera pan over the background (a hand-held camera drifts).
        let panX = Int((Double(width) / 2) * (1 + sin(t * 0.35 + phase)))
        let panY = Int((Double(height) / 2) * (1 + sin(t * 0.23 + phase * 1.7)))
        // The head: an ellipse swaying left and right, nodding a little.
        let centreX = Double(width) * (0.5 + 0.12 * sin(t * 1.3 + phase))
        let centreY = Double(height) * (0.55 + 0.05 * sin(t * 2.1 + phase))
        let radiusX = Double(width) * 0.16, radiusY = Double(height) * 0.32
        let noiseStart = (index &* 7919) & 0x7FFF
        let tw = width * 2
        let (w, h) = (width, height)
        let (uOffset, vOffset) = (frame.uOffset, frame.vOffset)
        background.withUnsafeBufferPointer { texture in
            noise.withUnsafeBufferPointer { noise in
                frame.planes.withUnsafeMutableBufferPointer { planes in
                    for y in 0..<h {
                        let dy = (Double(y) - centreY) / radiusY
                        let row = (y + panY) * tw + panX
                        var n = noiseStart + y * 131
                        for x in 0..<w {
                            let dx = (Double(x) - centreX) / radiusX
                            var value: Int
                            if dx * dx + dy * dy < 1 {
                                // Skin-like tone with the texture moving with the head.
                                value = 150 + (Int(texture[(y * 2 + Int(centreX)) % (h * 2) * tw + x]) >> 3)
                            } else {
                                value = Int(texture[row + x])
                            }
                            value += Int(noise[n & 0xFFFF]) - 128
                            n &+= 1
                            planes[y * w + x] = UInt8(truncatingIfNeeded: max(0, min(255, value)))
                        }
                    }
                    // Chroma: a gentle gradient, warmer inside the head.
                    for y in 0..<(h / 2) {
                        for x in 0..<(w / 2) {
                            let dx = (Double(x * 2) - centreX) / radiusX, dy = (Double(y * 2) - centreY) / radiusY
                            let inside = dx * dx + dy * dy < 1
                            planes[uOffset + y * (w / 2) + x] = inside ? 110 : UInt8(120 + (x * 16) / w)
                            planes[vOffset + y * (w / 2) + x] = inside ? 150 : UInt8(124 + (y * 16) / h)
                        }
                    }
                }
            }
        }
        return frame
    }
}
