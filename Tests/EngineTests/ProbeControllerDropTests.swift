import Engine
import Testing

/// `ProbeController`'s probe after a large drop (libwebrtc `RequestProbe`,
/// docs/congestion-control.md "Probing after a large drop").
@Suite struct ProbeControllerDropTests {
    static func at(_ milliseconds: Int64) -> Instant { Instant(nanoseconds: milliseconds * 1_000_000) }

    /// A controller past its initial probes, whose media wants 1.5 Mb/s.
    static func started() -> ProbeController {
        var controller = ProbeController(enabled: true, interval: .seconds(5), maxBitrate: .kbps(10_000))
        controller.desiredBitrate = .kbps(1_500)
        controller.start(estimate: .kbps(300), now: at(0))
        while controller.takeCluster() != nil {}
        return controller
    }

    @Test func recoveringFromOveruseAfterALargeDropProbesAtEightyFivePercentOfTheRateBefore() throws {
        var controller = Self.started()
        controller.estimateChanged(from: .kbps(950), to: .kbps(530), now: Self.at(1_000))
        controller.recoveredFromOveruse(estimate: .kbps(530), applicationLimited: false, now: Self.at(1_500))
        let taken = controller.takeCluster()
        let cluster = try #require(taken)
        #expect(cluster.bitrate == .kbps(807.5))
        // At most one such probe per 5 s, even after another drop.
        controller.estimateChanged(from: .kbps(800), to: .kbps(500), now: Self.at(2_000))
        controller.recoveredFromOveruse(estimate: .kbps(500), applicationLimited: false, now: Self.at(2_500))
        let noneController = controller.takeCluster()
        #expect(noneController == nil)
    }

    @Test func aSmallDropOrAnOldOneGivesNoProbe() {
        var small = Self.started()
        small.estimateChanged(from: .kbps(950), to: .kbps(700), now: Self.at(1_000))
        small.recoveredFromOveruse(estimate: .kbps(700), applicationLimited: false, now: Self.at(1_500))
        let noneSmall = small.takeCluster()
        #expect(noneSmall == nil)

        var old = Self.started()
        old.estimateChanged(from: .kbps(950), to: .kbps(530), now: Self.at(1_000))
        old.recoveredFromOveruse(estimate: .kbps(530), applicationLimited: false, now: Self.at(6_000))
        let noneOld = old.takeCluster()
        #expect(noneOld == nil)
    }

    @Test func mediaThatFitsTheEstimateGivesNoProbe() {
        var controller = Self.started()
        controller.desiredBitrate = .kbps(500)
        controller.estimateChanged(from: .kbps(950), to: .kbps(530), now: Self.at(1_000))
        controller.recoveredFromOveruse(estimate: .kbps(530), applicationLimited: false, now: Self.at(1_500))
        let noneController = controller.takeCluster()
        #expect(noneController == nil)
    }
}
