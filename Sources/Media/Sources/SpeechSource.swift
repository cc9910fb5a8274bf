#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A deterministic talker for Opus: talk spurts and pauses with exponentially distributed
/// lengths, as in ITU-T P.59 (03/93) "Artificial conversational speech", Table 1:
/// mean talk spurt 1.004 s, mean pause 1.587 s (speech activity about 38.7 %).
///
/// During a talk spurt it produces a voiced, speech-shaped signal: a glottal-like harmonic
/// series on a drifting pitch (95–230 Hz), shaped by three formant resonances that move from
/// syllable to syllable, with a 4–6 Hz syllabic envelope and a little breath noise. During a
/// pause it produces a near-silent noise floor (about -80 dBFS), so that Opus DTX engages.
public struct SpeechSource: Sendable {
    /// P.59 Table 1 mean talk-spurt length, seconds.
    public static let meanTalkSpurt = 1.004
    /// P.59 Table 1 mean pause length, seconds.
    public static let meanPause = 1.587

    /// One talk spurt, in 20 ms frame numbers [start, end).
    public struct Spurt: Sendable, Hashable {
        public var startFrame: Int
        public var endFrame: Int
    }

    /// Talk spurts over the source's duration, in order.
    public let spurts: [Spurt]
    /// Total length in 20 ms frames.
    public let frameCount: Int
    private let seed: UInt64
    private let basePitch: Double

    /// Creates a talker for `frameCount` 20 ms frames. `startsTalking` begins with a spurt.
    public init(frameCount: Int, seed: UInt64, startsTalking: Bool = true) {
        self.frameCount = frameCount
        self.seed = seed
        var random = SourceRandom(seed: seed)
        basePitch = 95 + random.nextUnit() * 135
        var spurts: [Spurt] = []
        var frame = 0
        var talking = startsTalking
        while frame < frameCount {
            let mean = talking ? Self.meanTalkSpurt : Self.meanPause
            let length = max(1, Int((random.nextExponential(mean: mean) * 50).rounded()))
            if talking { spurts.append(Spurt(startFrame: frame, endFrame: min(frame + length, frameCount))) }
            frame += length
            talking.toggle()
        }
        self.spurts = spurts
    }

    /// Whether frame `index` lies inside a talk spurt.
    public func isTalking(at index: Int) -> Bool {
        spurts.contains { $0.startFrame <= index && index < $0.endFrame }
    }

    /// The 960 samples (48 kHz, 20 ms) of frame `index`.
    public func frame(_ index: Int) -> [Int16] {
        let count = 960
        var samples = [Int16](repeating: 0, count: count)
        var random = SourceRandom(seed: seed &+ UInt64(index) &* 0x2545_F491)
        guard isTalking(at: index) else {
            for i in 0..<count { samples[i] = Int16(random.next(below: 3) - 1) }
            return samples
        }
        let sampleRate = 48_000.0
        let syllable = index / 10 // a new vowel every 200 ms
        var syllableRandom = SourceRandom(seed: seed &+ UInt64(syllable) &* 0x9E37_79B9)
        let formants = [300 + syllableRandom.nextUnit() * 500, 900 + syllableRandom.nextUnit() * 1300, 2300 + syllableRandom.nextUnit() * 700]
        // Pitch and harmonic gains are held for the 20 ms frame (speech is quasi-stationary over it).
        let frameTime = Double(index) * 0.02
        let pitch = basePitch * (1 + 0.12 * sin(2 * .pi * 0.7 * frameTime) + 0.05 * sin(2 * .pi * 3.1 * frameTime))
        var gains: [Double] = []
        var harmonic = 1
        while Double(harmonic) * pitch < 4_000 {
            let f = Double(harmonic) * pitch
            var gain = 0.0
            for (k, formant) in formants.enumerated() {
                let distance = (f - formant) / (80 + 40 * Double(k))
                gain += exp(-distance * distance) / Double(k + 1)
            }
            gains.append((0.15 + gain) / Double(harmonic))
            harmonic += 1
        }
        for i in 0..<count {
            let t = (Double(index * count + i)) / sampleRate
            let envelope = 0.35 + 0.65 * pow(sin(.pi * Double((index % 10) * count + i) / (10.0 * Double(count))), 2)
            var value = 0.0
            let step = 2 * .pi * pitch * t
            for (k, gain) in gains.enumerated() { value += gain * sin(step * Double(k + 1)) }
            value += (random.nextUnit() - 0.5) * 0.05
            samples[i] = Int16(max(-32_000, min(32_000, value * envelope * 6_000)))
        }
        return samples
    }
}
