import Histogram

/// The counts of an HdrHistogram (hdrhistogram-swift's `Histogram<UInt64>` with a lowest
/// discernible value of 1), kept outside the library so that recording a value is a few inlined
/// integer operations instead of the library's ~118 instructions (it copies the histogram's
/// header and calls two generic helpers that are not inlined).
///
/// `histogram` rebuilds the library's histogram when it is read (at the end of a trial): the same
/// counts in the same layout, the same total, and the same exact smallest non-zero and largest
/// value as a `Histogram` that had every value recorded in turn, so every percentile, `min`,
/// `max` and `maxRecorded` it answers is the same. A value beyond the initial counts (where the
/// library would resize) hands everything to the library from then on, so its resizing happens
/// as it would have. HarnessTests' `HistogramCountsTests` compare the two on random values.
struct HistogramCounts: Sendable {
    /// The library histogram's parameters, for rebuilding it.
    private let highestTrackableValue: UInt64
    private let significantDigits: SignificantDigits
    /// The library's layout (`Histogram.init`, with a unit magnitude of 0): bucket `b` holds
    /// sub-buckets of width `2^b`; index = `(b + 1) << halfCountMagnitude + subBucket - halfCount`.
    private let subBucketHalfCountMagnitude: Int
    private let leadingZeroCountBase: Int
    private let subBucketMask: UInt64
    private var counts: [UInt64]
    /// Values recorded in `counts`.
    private var countedTotal: UInt64 = 0
    /// Largest value recorded (exact), 0 when none.
    private var maxValue: UInt64 = 0
    /// Smallest non-zero value recorded (exact), `UInt64.max` when none.
    private var minNonZeroValue: UInt64 = .max
    /// The library's histogram, once a value fell outside `counts`: it records everything after.
    private var library: Histogram<UInt64>?
    /// `library != nil`, kept apart: testing the optional copies the whole histogram out.
    private var handedToLibrary = false

    /// Counts laid out as `Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue:
    /// numberOfSignificantValueDigits:)` lays them out (`highestTrackableValue` at least 2).
    init(highestTrackableValue: UInt64, significantDigits: SignificantDigits = .three) {
        self.highestTrackableValue = Swift.max(highestTrackableValue, 2)
        self.significantDigits = significantDigits
        // The library's arithmetic: unit resolution up to 2 * 10^digits, in a power-of-two
        // number of sub-buckets.
        var largestValueWithSingleUnitResolution: UInt64 = 2
        for _ in 0..<Int(significantDigits.rawValue) { largestValueWithSingleUnitResolution *= 10 }
        var subBucketCountMagnitude = 0
        while UInt64(1) << subBucketCountMagnitude < largestValueWithSingleUnitResolution { subBucketCountMagnitude += 1 }
        subBucketHalfCountMagnitude = Swift.max(subBucketCountMagnitude, 1) - 1
        let subBucketCount = 1 << (subBucketHalfCountMagnitude + 1)
        subBucketMask = UInt64(subBucketCount - 1)
        leadingZeroCountBase = 64 - (subBucketHalfCountMagnitude + 1)
        var smallestUntrackableValue = UInt64(subBucketCount)
        var bucketCount = 1
        while smallestUntrackableValue <= self.highestTrackableValue {
            if smallestUntrackableValue > UInt64.max / 2 {
                bucketCount += 1
                break
            }
            smallestUntrackableValue <<= 1
            bucketCount += 1
        }
        counts = Array(repeating: 0, count: (bucketCount + 1) << subBucketHalfCountMagnitude)
    }

    /// Records one value.
    @inline(__always)
    mutating func record(_ value: UInt64) {
        if !handedToLibrary {
            let index = countsIndex(of: value)
            if index < counts.count {
                counts[index] &+= 1
                countedTotal &+= 1
                if value > maxValue { maxValue = value }
                if value < minNonZeroValue, value != 0 { minNonZeroValue = value }
                return
            }
            library = histogram
            handedToLibrary = true
        }
        library!.record(value)
    }

    /// Values recorded.
    var totalCount: UInt64 { handedToLibrary ? library!.totalCount : countedTotal }

    /// Adds every value of `other`, as `Histogram.add` does.
    mutating func add(_ other: HistogramCounts) {
        if !handedToLibrary, !other.handedToLibrary, other.counts.count == counts.count,
           other.subBucketHalfCountMagnitude == subBucketHalfCountMagnitude {
            for index in counts.indices where other.counts[index] != 0 { counts[index] &+= other.counts[index] }
            countedTotal &+= other.countedTotal
            maxValue = Swift.max(maxValue, other.maxValue)
            minNonZeroValue = Swift.min(minNonZeroValue, other.minNonZeroValue)
            return
        }
        var merged = histogram
        merged.add(other.histogram)
        library = merged
        handedToLibrary = true
    }

    /// The library's histogram holding every recorded value.
    var histogram: Histogram<UInt64> {
        if handedToLibrary { return library! }
        var result = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableValue,
                                       numberOfSignificantValueDigits: significantDigits)
        result.autoResize = true
        guard countedTotal > 0 else { return result }
        // Each bucket's count goes in as one value of that bucket; the buckets of the smallest
        // non-zero and the largest value use those exact values, so that the library's own
        // minimum and maximum come out as they were recorded.
        let minIndex = minNonZeroValue == .max ? -1 : countsIndex(of: minNonZeroValue)
        let maxIndex = countsIndex(of: maxValue)
        for index in counts.indices where counts[index] != 0 {
            let count = counts[index]
            if index == minIndex, index == maxIndex, minNonZeroValue != maxValue {
                result.record(minNonZeroValue, count: count - 1)
                result.record(maxValue, count: 1)
            } else if index == minIndex {
                result.record(minNonZeroValue, count: count)
            } else if index == maxIndex {
                result.record(maxValue, count: count)
            } else {
                result.record(value(atIndex: index), count: count)
            }
        }
        return result
    }

    /// The library's `countsIndexForValue` (unit magnitude 0).
    @inline(__always)
    private func countsIndex(of value: UInt64) -> Int {
        // Wrapping arithmetic: every term is small (the bucket is below 64, the sub-bucket below
        // the sub-bucket count), so none can overflow, and the checks would only cost.
        let bucket = leadingZeroCountBase &- (value | subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: bucket))
        return (bucket &+ 1) &<< subBucketHalfCountMagnitude &+ subBucket &- (1 &<< subBucketHalfCountMagnitude)
    }

    /// The lowest value counted at `index` (the library's `valueFromIndex`).
    private func value(atIndex index: Int) -> UInt64 {
        let halfCount = 1 << subBucketHalfCountMagnitude
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (halfCount - 1)) + halfCount
        if bucket < 0 {
            subBucket -= halfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }
}
