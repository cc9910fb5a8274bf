@testable import Engine
import Testing

/// Output sequence numbers stay continuous across wraps, skips and source switches.
@Suite struct SequenceRewriterTests {
    @Test(arguments: [UInt16(0), 32_767, 65_535, 65_530])
    func continuousAcrossWrap(start: UInt16) {
        var rewriter = SequenceRewriter(initialOutput: 100)
        var input = start
        var outputs: [UInt16] = []
        for _ in 0..<20 {
            outputs.append(rewriter.map(input)!)
            input &+= 1
        }
        #expect(outputs == (0..<20).map { UInt16(100 + $0) })
    }

    @Test(arguments: [UInt16(0), 32_767, 65_535])
    func skippedPacketsLeaveNoHole(start: UInt16) {
        var rewriter = SequenceRewriter(initialOutput: 65_534)
        var outputs: [UInt16] = []
        for offset in 0..<12 {
            let input = start &+ UInt16(offset)
            if offset % 3 == 1 { rewriter.skip(input) } else { outputs.append(rewriter.map(input)!) }
        }
        for (previous, next) in zip(outputs, outputs.dropFirst()) { #expect(next &- previous == 1) }
        #expect(outputs.first == 65_534)
    }

    @Test func resyncContinuesFromLastOutput() {
        var rewriter = SequenceRewriter(initialOutput: 10)
        for input in UInt16(500)..<510 { _ = rewriter.map(input) }
        rewriter.resync()
        let value1 = rewriter.map(40_000)
        #expect(value1 == 20)
        let value2 = rewriter.map(40_001)
        #expect(value2 == 21)
    }

    @Test func latePacketKeepsItsMappingAfterSkip() {
        var rewriter = SequenceRewriter(initialOutput: 0)
        let value3 = rewriter.map(1)
        #expect(value3 == 0)
        // 2 is late (reordered), 3 is dropped on purpose, 4 arrives, then 2.
        rewriter.skip(3)
        let value4 = rewriter.map(4)
        #expect(value4 == 2)
        let value5 = rewriter.map(2)
        #expect(value5 == 1)
    }

    @Test func packetsBeforeTheRunAreRejected() {
        var rewriter = SequenceRewriter(initialOutput: 0)
        _ = rewriter.map(1_000)
        let value6 = rewriter.map(990)
        #expect(value6 == nil)
    }

    /// After a resync the input numbers belong to another source's sequence space: a late packet
    /// from before the current run must not be mapped with the offset of an earlier run (whose
    /// numbers it may happen to exceed), or the subscriber sees a jump of thousands.
    @Test func latePacketBeforeTheRunIgnoresEarlierRuns() {
        var rewriter = SequenceRewriter(initialOutput: 0)
        for input in UInt16(1_000)..<1_010 { _ = rewriter.map(input) }
        rewriter.resync()
        for input in UInt16(30_000)..<30_010 { _ = rewriter.map(input) }
        rewriter.resync()
        for input in UInt16(5_000)..<5_010 { _ = rewriter.map(input) }
        #expect(rewriter.lastOutput == 29)
        #expect(!rewriter.isReserved(4_990))
        #expect(rewriter.map(4_990) == nil)
        // Late values inside the current run still keep their mapping.
        #expect(rewriter.isReserved(5_005))
        #expect(rewriter.map(5_005) == 25)
    }

    /// A value older than the start of the current run never takes a previous run's offset, even
    /// when it is numerically above where that run started (another source's numbering).
    @Test func packetsBeforeANewRunAreRejected() {
        var rewriter = SequenceRewriter(initialOutput: 0)
        for input in UInt16(1_000)..<1_010 { _ = rewriter.map(input) }
        rewriter.resync()
        #expect(rewriter.map(20_000) == 10)
        #expect(rewriter.map(20_001) == 11)
        #expect(rewriter.isReserved(19_990) == false)
        #expect(rewriter.map(19_990) == nil)
        #expect(rewriter.map(20_002) == 12)
    }
}
