import Engine
import Foundation
@testable import Harness
import Testing

/// The send-side estimator over a seeded bottleneck (virtual time): convergence, step down,
/// step up, and a real bandwidth trace. See docs/congestion-control.md.
@Suite struct CongestionEstimatorTests {
    static func bottleneck(kbps: Double) -> LinkProfile {
        var link = LinkProfile()
        link.delay = 25
        link.bandwidth = kbps
        link.queueBytes = 400_000
        return link
    }

    @Test func convergesToAConstantBottleneckWithoutAStandingQueue() throws {
        var loop = try CongestionLoop(link: Self.bottleneck(kbps: 2_000)) { _ in .kbps(2_000) }
        loop.run(until: .seconds(40))
        let ratios = loop.ratios(from: 25, to: 40)
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        print("constant 2 Mb/s: mean ratio 25-40 s \(mean), min \(ratios.min()!), max \(ratios.max()!), standing queue \(loop.largestStandingQueue(from: 5, to: 40)) ms")
        #expect(loop.ratios(from: 30, to: 40).allSatisfy { $0 >= 0.8 && $0 <= 1.0 })
        #expect(loop.largestStandingQueue(from: 5, to: 40) < 200)
    }
}
