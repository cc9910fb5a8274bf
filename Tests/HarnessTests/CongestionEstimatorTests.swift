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

    @Test func fallsBelowTheNewCapacityWithinFiveSecondsOfAStepDown() throws {
        let schedule = [LinkChange(at: .seconds(30), profile: Self.bottleneck(kbps: 1_000))]
        var loop = try CongestionLoop(link: Self.bottleneck(kbps: 2_500), schedule: schedule) { now in
            now < .seconds(30) ? .kbps(2_500) : .kbps(1_000)
        }
        loop.run(until: .seconds(45))
        let before = loop.estimate(at: 29.9)
        let firstBelow = loop.samples.first { $0.time >= 30 && $0.estimate < .kbps(1_000) }?.time
        print("step 2.5 -> 1 Mb/s at 30 s: estimate before \(before), below 1 Mb/s at \(firstBelow.map { "\($0)" } ?? "never") s")
        #expect(before > .kbps(1_500))
        #expect(firstBelow.map { $0 <= 35 } == true)
        // It recovers towards the new capacity rather than collapsing.
        #expect(loop.ratios(from: 40, to: 45).allSatisfy { $0 >= 0.5 })
    }

    @Test func followsAStepUpWithinThirtySeconds() throws {
        let schedule = [LinkChange(at: .seconds(30), profile: Self.bottleneck(kbps: 2_500))]
        var loop = try CongestionLoop(link: Self.bottleneck(kbps: 1_000), schedule: schedule) { now in
            now < .seconds(30) ? .kbps(1_000) : .kbps(2_500)
        }
        loop.run(until: .seconds(60))
        let reached = loop.samples.first { $0.time >= 30 && $0.estimate >= .kbps(2_000) }?.time
        print("step 1 -> 2.5 Mb/s at 30 s: 80 % of the new capacity at \(reached.map { "\($0)" } ?? "never") s")
        #expect(loop.estimate(at: 29.9) <= .kbps(1_000))
        #expect(reached.map { $0 <= 60 } == true)
    }

    /// A real trace (FCC broadband, MIT-licensed, Tests/HarnessTests/Fixtures/README.md): the
    /// estimate tracks capacity: mean ratio between 0.6 and 1.1; AIMD's saw-tooth crosses capacity
    /// (it increases until the queue grows), but more than 25 % above it less than a tenth of the time.
    @Test(arguments: ["fcc_32551_amazon.tsv", "norway_ferry_2.tsv"])
    func tracksARealTrace(_ name: String) throws {
        let rows = try String(contentsOfFile: "\(fixturesDirectory)/\(name)", encoding: .utf8)
            .split(separator: "\n").compactMap { line -> (Double, Double)? in
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                guard fields.count == 2, let t = Double(fields[0]), let mbps = Double(fields[1]) else { return nil }
                return (t, mbps)
            }
        var link = LinkProfile()
        link.delay = 25
        link.trace = name
        link.queueBytes = 400_000
        let period = rows.last!.0 + (rows.count > 1 ? rows[rows.count - 1].0 - rows[rows.count - 2].0 : 1)
        var loop = try CongestionLoop(link: link) { now in
            let t = now.seconds.truncatingRemainder(dividingBy: period)
            return .mbps(rows.last { $0.0 <= t }?.1 ?? rows[0].1)
        }
        loop.run(until: .seconds(120))
        if ProcessInfo.processInfo.environment["CONGESTION_DUMP"] != nil {
            for sample in loop.samples where Int(sample.time * 10) % 5 == 0 {
                print("dump \(sample.time) \(sample.estimate.kbps) \(sample.capacity.kbps)")
            }
        }
        let ratios = loop.ratios(from: 10, to: 120)
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        let over = Double(ratios.filter { $0 > 1 }.count) / Double(ratios.count)
        let farOver = Double(ratios.filter { $0 > 1.25 }.count) / Double(ratios.count)
        print("trace \(name): mean estimate/capacity \(mean), time over capacity \(over), more than 25 % over \(farOver)")
        #expect(mean >= 0.6 && mean <= 1.1)
        #expect(farOver < 0.1)
    }
}
