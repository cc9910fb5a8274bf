import Engine
import Histogram
import Testing
@testable import Harness

/// `HistogramCounts` against the library it stands in for: the same values recorded in a
/// `Histogram<UInt64>` directly must give an identical histogram (counts, total, exact min and
/// max, resized range) and identical answers.
@Suite("HistogramCounts against hdrhistogram-swift")
struct HistogramCountsTests {
    private static func library(highest: UInt64) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest,
                                          numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    private static func expectSame(_ counts: HistogramCounts, _ reference: Histogram<UInt64>,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let rebuilt = counts.histogram
        #expect(rebuilt == reference, sourceLocation: sourceLocation)
        #expect(counts.totalCount == reference.totalCount, sourceLocation: sourceLocation)
        #expect(rebuilt.totalCount == reference.totalCount, sourceLocation: sourceLocation)
        #expect(rebuilt.min == reference.min, sourceLocation: sourceLocation)
        #expect(rebuilt.minNonZero == reference.minNonZero, sourceLocation: sourceLocation)
        #expect(rebuilt.maxRecorded == reference.maxRecorded, sourceLocation: sourceLocation)
        #expect(rebuilt.max == reference.max, sourceLocation: sourceLocation)
        #expect(rebuilt.highestTrackableValue == reference.highestTrackableValue, sourceLocation: sourceLocation)
        for level in [0.0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100] {
            #expect(rebuilt.valueAtPercentile(level) == reference.valueAtPercentile(level), sourceLocation: sourceLocation)
        }
        let rebuiltValues = rebuilt.recordedValues().map { [$0.value, $0.count] }
        let referenceValues = reference.recordedValues().map { [$0.value, $0.count] }
        #expect(rebuiltValues == referenceValues, sourceLocation: sourceLocation)
    }

    @Test("random values of every magnitude, within and beyond the initial range")
    func randomValues() {
        var random = SeededGenerator(seed: 7)
        for round in 0..<60 {
            let highest: UInt64 = round % 3 == 0 ? 60_000_000 : (round % 3 == 1 ? 2 : 5_000)
            var counts = HistogramCounts(highestTrackableValue: highest)
            var reference = Self.library(highest: highest)
            let values = 1 + Int(random.next() % 400)
            for _ in 0..<values {
                // Mostly in range, some zeros, some far beyond (the library resizes).
                let magnitude = Int(random.next() % (round % 5 == 0 ? 40 : 27))
                let value = random.next() % 10 == 0 ? 0 : random.next() % (UInt64(1) << UInt64(magnitude + 1))
                counts.record(value)
                reference.record(value)
            }
            Self.expectSame(counts, reference)
        }
    }

    @Test("bucket edges: every value up to 70 000 and the powers of two around the sub-bucket boundaries")
    func edges() {
        var counts = HistogramCounts(highestTrackableValue: 60_000_000)
        var reference = Self.library(highest: 60_000_000)
        for value in UInt64(0)...70_000 {
            counts.record(value)
            reference.record(value)
        }
        for shift in 11..<26 {
            for delta in [-1, 0, 1] {
                let value = UInt64(Int(1 << shift) + delta)
                counts.record(value)
                reference.record(value)
            }
        }
        Self.expectSame(counts, reference)
    }

    @Test("single values: smallest and largest share a bucket, only zeros, nothing")
    func singleBuckets() {
        for values: [UInt64] in [[], [0], [0, 0], [5], [100_000, 100_001], [100_001, 100_000, 100_000], [3_000_000]] {
            var counts = HistogramCounts(highestTrackableValue: 60_000_000)
            var reference = Self.library(highest: 60_000_000)
            for value in values {
                counts.record(value)
                reference.record(value)
            }
            Self.expectSame(counts, reference)
        }
    }

    @Test("merging, in range and after a resize, as Histogram.add")
    func merging() {
        var random = SeededGenerator(seed: 11)
        for round in 0..<20 {
            var counts = [HistogramCounts(highestTrackableValue: 60_000_000), HistogramCounts(highestTrackableValue: 60_000_000)]
            var reference = [Self.library(highest: 60_000_000), Self.library(highest: 60_000_000)]
            for side in 0..<2 {
                for _ in 0..<100 {
                    let limit: UInt64 = round % 4 == side ? 1 << 40 : 50_000_000
                    let value = random.next() % limit
                    counts[side].record(value)
                    reference[side].record(value)
                }
            }
            counts[0].add(counts[1])
            reference[0].add(reference[1])
            Self.expectSame(counts[0], reference[0])
            // Recording goes on after the merge as it would in the library.
            for _ in 0..<50 {
                let value = random.next() % 80_000_000
                counts[0].record(value)
                reference[0].record(value)
            }
            Self.expectSame(counts[0], reference[0])
        }
    }
}
