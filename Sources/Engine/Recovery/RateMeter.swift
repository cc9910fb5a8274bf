/// Bytes received over a sliding window, as a bit rate (mediasoup `RateCalculator`, simplified
/// to fixed buckets): what a layer of a stream currently costs. The engine's streams keep one
/// per layer in a flat block (`LayerRateMeters`, same arithmetic); this single meter is the
/// reference `LayerRateMetersTests` compare that block with.
///
/// Read for every layer of every consumer each time a transport's bitrate is allocated, so the
/// window and bucket length are kept in nanoseconds and the accessors are always inlined (an
/// outlined call copies the meter, retaining its buffers, out of the stream that holds it).
///
/// Counted for every received packet, so `add` remembers the bucket it last wrote and the span
/// of time that bucket covers: the common case (another packet in the same 100 ms) is two
/// comparisons and one addition, with no division.
struct RateMeter {
    private let bucketNanoseconds: Int64
    private var buckets: [Int64]
    private var bucketStart: [Int64]
    private let windowNanoseconds: Int64
    /// The bucket `add` last wrote and the instants [`currentFrom`, `currentUntil`) it covers
    /// (an empty span until the first `add` at a non-negative instant).
    private var currentIndex = 0
    private var currentFrom: Int64 = 0
    private var currentUntil: Int64 = 0

    init(window: Duration = .seconds(1), buckets count: Int = 10) {
        windowNanoseconds = window.nanoseconds
        bucketNanoseconds = (window / count).nanoseconds
        buckets = Array(repeating: 0, count: count)
        bucketStart = Array(repeating: Int64.min, count: count)
    }

    @inline(__always)
    mutating func add(bytes: Int, now: Instant) {
        if now.nanoseconds >= currentFrom && now.nanoseconds < currentUntil {
            buckets[currentIndex] += Int64(bytes)
            return
        }
        let index = bucketIndex(now)
        let start = now.nanoseconds - now.nanoseconds % bucketNanoseconds
        if bucketStart[index] != start {
            bucketStart[index] = start
            buckets[index] = 0
        }
        buckets[index] += Int64(bytes)
        // Every instant in [start, start + bucket) has this index and start (for instants at or
        // after the origin, where `%` rounds down).
        if now.nanoseconds >= 0, start <= Int64.max - bucketNanoseconds {
            currentIndex = index
            currentFrom = start
            currentUntil = start + bucketNanoseconds
        } else {
            currentUntil = currentFrom
        }
    }

    /// The rate over the window ending at `now`.
    @inline(__always)
    func rate(now: Instant) -> Bitrate {
        let oldest = now.nanoseconds - windowNanoseconds
        var total: Int64 = 0
        for index in buckets.indices where bucketStart[index] > oldest && bucketStart[index] <= now.nanoseconds {
            total += buckets[index]
        }
        return Bitrate(bitsPerSecond: total * 8 * 1_000_000_000 / windowNanoseconds)
    }

    @inline(__always)
    private func bucketIndex(_ now: Instant) -> Int {
        Int((now.nanoseconds / bucketNanoseconds) % Int64(buckets.count))
    }
}
