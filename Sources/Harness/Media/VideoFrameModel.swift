import Engine

/// The synthetic video model used until recorded workloads replace it (docs/synthetic-media.md):
/// frame sizes for one encoding at a target bitrate, with an L1T3 temporal structure, larger key
/// frames, and log-normal size variation, all drawn from a seeded generator.
struct VideoFrameModel: Sendable {
    /// Content kind: a camera changes every frame; a screen share is mostly static with bursts.
    enum Content: Sendable { case camera, screen }

    var bitrate: Bitrate
    var framesPerSecond: Double
    var content: Content
    /// Key frames cost this many times a mean frame (libwebrtc camera key frames are 5–10x).
    var keyFrameFactor = 6.0
    /// Standard deviation of the natural log of the size factor.
    var sizeSigma = 0.2
    /// Screen share: seconds between slide changes, and the size of a slide-change frame.
    var slideInterval = 10.0
    /// Screen share key frames cost this many mean frames (slide changes 0.8 of it). At 5 fps a
    /// mean frame is already 1/5 s of the target rate: 3x is about 110 kB at 1.5 Mb/s.
    var slideFactor = 3.0

    /// L1T3 temporal layer of frame `index` (pattern 0, 2, 1, 2).
    static func temporalLayer(ofFrame index: Int) -> Int {
        switch index % 4 {
        case 0: 0
        case 2: 1
        default: 2
        }
    }

    /// Share of the stream's bytes each temporal layer's frames carry, per frame of that layer,
    /// relative to the mean frame (libwebrtc's 40/20/40 split: TL0 has 1/4 of the frames, 40 %).
    static let temporalSizeFactor = [1.6, 0.8, 0.8]

    /// Size in bytes of frame `index` (`isKeyFrame` when the encoder makes a key frame).
    func frameSize(index: Int, isKeyFrame: Bool, random: inout SeededGenerator) -> Int {
        let mean = Double(bitrate.bitsPerSecond) / 8 / framesPerSecond
        var factor: Double
        switch content {
        case .camera:
            factor = isKeyFrame ? keyFrameFactor : Self.temporalSizeFactor[Self.temporalLayer(ofFrame: index)]
        case .screen:
            let framesPerSlide = max(1, Int(slideInterval * framesPerSecond))
            if isKeyFrame { factor = slideFactor } else if index % framesPerSlide == 0 { factor = slideFactor * 0.8 } else { factor = 0.3 }
        }
        factor *= exp(sizeSigma * random.nextGaussian() - sizeSigma * sizeSigma / 2)
        return max(40, Int(mean * factor))
    }
}

#if canImport(Glibc)
import Glibc
#endif
