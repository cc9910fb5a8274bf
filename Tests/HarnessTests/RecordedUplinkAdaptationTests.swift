import Engine
import Foundation
import Harness
import Media
import Testing

/// A recorded publisher on a narrow uplink sends what its send-side estimate can carry, as a
/// browser does: on `3g` (500 kb/s up) a three-layer camera (150 + 400 + 1000 kb/s) keeps its
/// lowest encoding and pauses the others, so the uplink queue does not overflow, packets arrive
/// without seconds of queueing, loss after recovery stays near the link's own 1 %, and
/// subscribers watch the lowest layer. Replaying the same file verbatim (every encoding, as
/// recorded — what recorded publishers did before they adapted) shows the collapse it prevents.
@Suite struct RecordedUplinkAdaptationTests {
    /// 4 desktop participants, 10 s, a key frame every second, one encoded source.
    static let meeting: String = {
        let path = RecordedFixtures.temporaryPath("uplink-meeting.sfuw")
        let spec = SynthesisSpec(participants: 4, kind: .meeting, device: .desktop, durationMicros: 10_000_000, seed: 3,
                                 maxDistinctSources: 1, keyFrameIntervalSeconds: 1, joinSpreadMicros: 300_000)
        do { _ = try WorkloadSynthesizer(spec: spec).write(to: path) } catch { fatalError("synthesis failed: \(error)") }
        return path
    }()

    @Test func threeGUplinkCarriesTheLowestEncodingWithLittleLoss() throws {
        // 10 s: each publisher starts with what the initial estimate covers (600 kb/s: two
        // encodings), pauses the middle one within about 2 s, and the engine then needs 1–2 s to
        // see the stream stop and move its consumers down.
        let spec = try RecordedFixtures.spec(Self.meeting, network: "3g", seconds: 10, seed: 1)
        let adapted = try TrialRunner().run(spec).metrics
        var verbatimRunner = TrialRunner()
        verbatimRunner.replaysVerbatim = true
        let everything = try verbatimRunner.run(spec).metrics

        // The link loses 1 % each way; NACK/RTX recovers most of it.
        let loss = try #require(adapted["lossAfterRecovery"])
        #expect(loss < 0.03)
        // Two 75 ms hops plus jitter and a little queueing, not a full 100 KB queue (1.6 s at 500 kb/s).
        #expect(try #require(adapted["packetDelay.p50"]) < 400)
        // The top encoding never fits the uplink: no subscriber gets it.
        #expect(adapted["timeOnLayer.s2", default: 1] < 0.05)

        // Every encoding into the same uplink: the uplink queue overflows and stays full.
        #expect(try #require(everything["lossAfterRecovery"]) > 0.2)
        #expect(try #require(everything["packetDelay.p50"]) > 1_000)
        #expect(adapted["network.uplinkQueueDrops", default: .infinity] * 20 < everything["network.uplinkQueueDrops", default: 0])
        #expect(adapted["videoFramesDecoded", default: 0] > 5 * everything["videoFramesDecoded", default: 0])
        // Adapting, subscribers spend far more of their time on the lowest layer.
        #expect(adapted["timeOnLayer.s0", default: 0] > everything["timeOnLayer.s0", default: 1] + 0.25)
    }

    /// Where the uplink carries everything (4g: 5 Mb/s), adapting pauses nothing for long: the
    /// subscribers reach the top layer.
    @Test func fourGUplinkKeepsTheTopLayer() throws {
        let result = try TrialRunner().run(RecordedFixtures.spec(Self.meeting, network: "4g", seconds: 6, seed: 1))
        #expect(result.metrics["timeOnLayer.s2", default: 0] > 0.3)
        #expect(result.metrics["lossAfterRecovery", default: 1] < 0.01)
    }

    @Test func adaptingRunsAreReproducible() throws {
        let spec = try RecordedFixtures.spec(Self.meeting, network: "3g", seconds: 3, seed: 4)
        #expect(try TrialRunner().run(spec) == TrialRunner().run(spec))
    }
}
