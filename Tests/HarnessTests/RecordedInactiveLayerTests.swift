import Engine
import Harness
import Testing

/// On `3g` the recorded publishers pause the encodings their uplink cannot carry. The engine sees
/// each paused encoding stop (1.5 s without packets) and stops asking it for key frames: no
/// request reaches a publisher for an encoding paused longer than the inactivity interval plus
/// half a second (`PausedEncodingRequests.settleTime`). Before, the key-frame request manager
/// repeated its request every second for as long as the encoding stayed paused (40 such requests
/// on `sfulab trial --workload m5.sfuw --network 3g --duration 10s --seed 1`, see
/// docs/bitrate-allocation.md). Publishers also hold back repeated NACK answers.
@Suite struct RecordedInactiveLayerTests {
    @Test func noKeyFrameRequestsReachLongPausedEncodings() throws {
        let spec = try RecordedFixtures.spec(RecordedUplinkAdaptationTests.meeting, network: "3g", seconds: 10, seed: 1)
        let metrics = try TrialRunner().run(spec).metrics
        // Encodings were paused and the engine noticed.
        #expect(metrics["engine.streamsWentInactive", default: 0] > 0)
        #expect(metrics["publisher.keyFrameRequestsLongAfterPause"] == 0)
        // Loss recovery still works: the link's 1 % each way is mostly repaired.
        #expect(metrics["lossAfterRecovery", default: 1] < 0.03)
        #expect(metrics["publisher.retransmissionsSent", default: 0] > 0)
    }
}
