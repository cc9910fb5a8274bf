/// Bytes received over a sliding window, as a bit rate (mediasoup `RateCalculator`, simplified
/// to fixed buckets): used to know what each simulcast layer currently costs.
struct RateMeter {
    private let bucketDuration: Duration
    private var buckets: [Int64]
    private var bucketStart: [Int64]
    private let window: Duration

    init(window: Duration = .seconds(1), buckets count: Int = 10) {
        self.window = window
        bucketDuration = window / count
        buckets = Array(repeating: 0, count: count)
        bucketStart = Array(repeating: Int64.min, count: count)
    }

    mutating func add(bytes: Int, now: Instant) {
        let index = bucketIndex(now)
        let start = now.nanoseconds - now.nanoseconds % bucketDuration.nanoseconds
        if bucketStart[index] != start {
            bucketStart[index] = start
            buckets[index] = 0
        }
        buckets[index] += Int64(bytes)
    }

    /// The rate over the window ending at `now`.
    func rate(now: Instant) -> Bitrate {
        let oldest = now.nanoseconds - window.nanoseconds
        var total: Int64 = 0
        for index in buckets.indices where bucketStart[index] > oldest && bucketStart[index] <= now.nanoseconds {
            total += buckets[index]
        }
        return Bitrate(bitsPerSecond: total * 8 * 1_000_000_000 / window.nanoseconds)
    }

    private func bucketIndex(_ now: Instant) -> Int {
        Int((now.nanoseconds / bucketDuration.nanoseconds) % Int64(buckets.count))
    }
}
