import Engine
import Testing

/// `ForwardBenchmarkReport` turns the totals of a measured run into the figures
/// `sfulab bench forward` prints.
@Suite struct BenchReportTests {
    static func totals(packets: Int, copies: Int, timeoutAllocations: Int) -> ForwardBenchmark.Totals {
        var totals = ForwardBenchmark.Totals()
        totals.packets = packets
        totals.consumerCopies = copies
        totals.timeouts = 7
        totals.timeoutAllocations = timeoutAllocations
        return totals
    }

    @Test func dividesTimeByPacketsAndByCopiesAndLeavesTimerAllocationsOut() {
        let report = ForwardBenchmarkReport(
            configuration: .init(consumers: 10), totals: Self.totals(packets: 1_000, copies: 10_000, timeoutAllocations: 40),
            warmUpPackets: 500, elapsedNanoseconds: 2_500_000, allocations: 90, build: "release", allocationCounter: "test")
        #expect(report.consumers == 10)
        #expect(report.packets == 1_000)
        #expect(report.nanosecondsPerPacket == 2_500)
        #expect(report.nanosecondsPerConsumerCopy == 250)
        #expect(report.allocations == 50)
        #expect(report.timeoutAllocations == 40)
        #expect(report.allocationsPerPacket == 0.05)
        #expect(report.timeouts == 7)
    }

    @Test func withoutACounterTheAllocationFiguresAreNil() {
        let report = ForwardBenchmarkReport(
            configuration: .init(consumers: 1, simulcast: true), totals: Self.totals(packets: 10, copies: 0, timeoutAllocations: 0),
            warmUpPackets: 0, elapsedNanoseconds: 1_000, allocations: nil, build: "debug", allocationCounter: "unavailable")
        #expect(report.simulcast)
        #expect(report.allocationsPerPacket == nil)
        #expect(report.allocations == nil)
        #expect(report.timeoutAllocations == nil)
        // No copies: there is no per-copy figure (not infinity, not the whole run's time).
        #expect(report.nanosecondsPerConsumerCopy == nil)
    }

    @Test func theIngressRunGivesTheMarginalCostOfAConsumer() {
        var report = ForwardBenchmarkReport(
            configuration: .init(consumers: 10), totals: Self.totals(packets: 1_000, copies: 10_000, timeoutAllocations: 0),
            warmUpPackets: 500, elapsedNanoseconds: 2_500_000, allocations: 0, build: "release", allocationCounter: "test")
        report.cpuNanosecondsPerPacket = 2_000
        #expect(report.ingressNanosecondsPerPacket == nil)
        #expect(report.marginalNanosecondsPerConsumerCopy == nil)
        report.setIngress(nanosecondsPerPacket: 500, cpuNanosecondsPerPacket: 400, allocationsPerPacket: 0)
        #expect(report.ingressNanosecondsPerPacket == 500)
        #expect(report.marginalNanosecondsPerConsumerCopy == 200)
        #expect(report.cpuIngressNanosecondsPerPacket == 400)
        #expect(report.cpuMarginalNanosecondsPerConsumerCopy == 160)
        #expect(report.ingressAllocationsPerPacket == 0)
        // The existing per-copy figure keeps its meaning: total time over copies.
        #expect(report.nanosecondsPerConsumerCopy == 250)
    }

    @Test func workloadConfigurationsOutsideTheirRangesAreRefused() {
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: 1, payloadBytes: 8)) }
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: 1, simulcast: true, packetsPerFrame: [2])) }
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: 1, packetsPerFrame: [0])) }
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: 1, frameRate: 1_000)) }
    }
}
