import Engine

/// Conversational speech on/off model (ITU-T P.59: mean talk spurt 1.004 s, mean pause 1.587 s,
/// exponentially distributed), driving Opus-like 20 ms frames: about `bitrate` while talking, and
/// with DTX one 3-byte comfort-noise frame every 400 ms while silent (docs/synthetic-media.md).
struct TalkSpurtModel: Sendable {
    var meanTalk = 1.004
    var meanPause = 1.587
    var bitrate: Bitrate = 32_000
    var dtx = true
    private(set) var talking = false
    private var stateEndsAt: Double = 0
    private var silentFrames = 0

    init(bitrate: Bitrate = 32_000) { self.bitrate = bitrate }

    /// The frame at `time` seconds: nil when DTX sends nothing, else (bytes, level in -dBov).
    mutating func frame(at time: Double, random: inout SeededGenerator) -> (bytes: Int, level: UInt8)? {
        while time >= stateEndsAt {
            talking.toggle()
            let mean = talking ? meanTalk : meanPause
            stateEndsAt += -mean * log(max(random.nextUnit(), 1e-12))
        }
        if talking {
            silentFrames = 0
            let mean = Double(bitrate.bitsPerSecond) / 8 * 0.020
            let bytes = max(10, Int(mean * exp(0.15 * random.nextGaussian())))
            let level = UInt8(clamping: Int(25 + 6 * random.nextGaussian()).clamped(to: 0...127))
            return (bytes, level)
        }
        silentFrames += 1
        if dtx && silentFrames % 20 != 1 { return nil }
        return (3, 127)
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

#if canImport(Glibc)
import Glibc
#endif
