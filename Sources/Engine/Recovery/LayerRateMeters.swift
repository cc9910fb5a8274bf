/// The rate meters of every layer of one producer stream (`RateMeter`'s fixed buckets and
/// semantics, one meter per layer) in one manually managed block: layer `l`'s buckets, their
/// start instants and the span of the bucket it last wrote sit at `l * stride`.
///
/// A received packet is counted in its layer's meter; an array of `RateMeter`s (each holding two
/// arrays) paid a uniqueness check on the outer array and on the inner one for every packet, and
/// the stream reached it through a class property. Here `add` writes through one pointer.
/// `LayerRateMetersTests` check it against an array of `RateMeter`s.
final class LayerRateMeters {
    /// Number of layers metered.
    let layerCount: Int
    private let bucketCount: Int
    private let bucketNanoseconds: Int64
    private let windowNanoseconds: Int64
    /// Int64 words per layer: `bucketCount` byte counts, `bucketCount` bucket starts, then the
    /// index of the bucket last written and the instants [from, until) it covers.
    private let stride: Int
    private let storage: UnsafeMutablePointer<Int64>

    /// `layers` meters over `window`, each of `buckets` buckets (as `RateMeter(window:buckets:)`).
    init(layers: Int, window: Duration = .seconds(1), buckets: Int = 10) {
        layerCount = layers
        bucketCount = buckets
        windowNanoseconds = window.nanoseconds
        bucketNanoseconds = (window / buckets).nanoseconds
        stride = 2 * buckets + 3
        storage = .allocate(capacity: layers * stride)
        for layer in 0..<layers {
            let base = storage + layer * stride
            base.initialize(repeating: 0, count: buckets)
            (base + buckets).initialize(repeating: Int64.min, count: buckets)
            // An empty span until the first `add` at a non-negative instant.
            (base + 2 * buckets).initialize(repeating: 0, count: 3)
        }
    }

    deinit { storage.deallocate() }

    /// Counts `bytes` received at `now` (an instant at or after the origin, as every engine
    /// instant is) in layer `layer`'s meter (`RateMeter.add`).
    @inline(__always)
    func add(bytes: Int, layer: Int, now: Instant) {
        let base = storage + layer * stride
        let current = base + 2 * bucketCount
        let time = now.nanoseconds
        if time >= current[1] && time < current[2] {
            base[Int(current[0])] += Int64(bytes)
            return
        }
        addToNewBucket(bytes: bytes, base: base, now: time)
    }

    /// `add` when `now` is outside the bucket last written: finds (and if it is from an older
    /// window, clears) the bucket of `now` and remembers its span.
    private func addToNewBucket(bytes: Int, base: UnsafeMutablePointer<Int64>, now: Int64) {
        // Before the origin the bucket index would be negative (`RateMeter` traps there too).
        precondition(now >= 0, "rate meter instant before the origin")
        let index = Int((now / bucketNanoseconds) % Int64(bucketCount))
        let start = now - now % bucketNanoseconds
        let starts = base + bucketCount
        if starts[index] != start {
            starts[index] = start
            base[index] = 0
        }
        base[index] += Int64(bytes)
        let current = base + 2 * bucketCount
        // Every instant in [start, start + bucket) has this index and start.
        if start <= Int64.max - bucketNanoseconds {
            current[0] = Int64(index)
            current[1] = start
            current[2] = start + bucketNanoseconds
        } else {
            current[2] = current[1]
        }
    }

    /// Layer `layer`'s rate over the window ending at `now` (`RateMeter.rate`).
    func rate(layer: Int, now: Instant) -> Bitrate {
        let base = storage + layer * stride
        let starts = base + bucketCount
        let oldest = now.nanoseconds - windowNanoseconds
        var total: Int64 = 0
        for index in 0..<bucketCount where starts[index] > oldest && starts[index] <= now.nanoseconds {
            total += base[index]
        }
        return Bitrate(bitsPerSecond: total * 8 * 1_000_000_000 / windowNanoseconds)
    }
}
