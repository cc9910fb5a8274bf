import Engine

/// A recorded bottleneck capacity that loops: either Mahimahi delivery opportunities (each one
/// lets 1,500 bytes through) or piecewise-constant "seconds Mbps" rate rows.
///
/// Internally a trace is a cumulative service curve over one period: `level(at:)` is how many
/// bytes the link could have carried by an offset, `offset(reaching:)` is its inverse. A link
/// replays the trace at its recorded mean rate (`meanRate`), looping every `period`.
public struct BandwidthTrace: Sendable, Hashable {
    /// Bytes one Mahimahi delivery opportunity carries (one MTU-sized packet).
    public static let mahimahiOpportunityBytes = 1_500

    /// Where the numbers came from.
    public enum Format: String, Sendable, Hashable {
        /// One integer millisecond timestamp per line; each line is one 1,500-byte opportunity.
        case mahimahi
        /// "seconds Mbps" rows: the rate holds from its timestamp to the next row's.
        case rateRows
    }

    /// The file format the trace was read from.
    public let format: Format
    /// Where the trace came from (a path, or a label for in-memory traces), for messages.
    public let source: String
    /// Length of one loop, ns.
    public let periodNanoseconds: Int64
    /// Breakpoint offsets within a period, ns, ascending.
    let times: [Int64]
    /// Mahimahi: unused. Rate rows: cumulative bytes at each breakpoint (`levels.count == times.count + 1`,
    /// the last entry is the bytes of a whole period).
    let levels: [Double]
    /// Bytes carried in one period.
    public let bytesPerPeriod: Double

    /// Loop length.
    public var period: Duration { .nanoseconds(periodNanoseconds) }

    /// The mean capacity over one loop (bytes per period over the period).
    public var meanRate: Bitrate {
        Bitrate(bitsPerSecond: Int64((bytesPerPeriod * 8 / (Double(periodNanoseconds) / 1e9)).rounded()))
    }

    /// A Mahimahi trace from its opportunity timestamps (ms, non-decreasing). The trace loops
    /// every `last timestamp` ms, as Mahimahi's link shell does.
    public init(mahimahiMilliseconds timestamps: [Int64], source: String = "<memory>") throws {
        guard let last = timestamps.last else {
            throw TraceError(path: source, line: nil, message: "trace has no delivery opportunities")
        }
        guard last > 0 else {
            throw TraceError(path: source, line: nil, message: "the last timestamp must be positive (it is the loop period)")
        }
        format = .mahimahi
        self.source = source
        periodNanoseconds = last * 1_000_000
        times = timestamps.map { $0 * 1_000_000 }
        levels = []
        bytesPerPeriod = Double(timestamps.count * Self.mahimahiOpportunityBytes)
    }

    /// A rate trace from (seconds, Mbps) rows with strictly increasing times. Each rate holds until
    /// the next row; the last row holds for the mean interval between rows (1 s for a single row).
    public init(rateRows rows: [(seconds: Double, megabitsPerSecond: Double)], source: String = "<memory>") throws {
        guard let first = rows.first else {
            throw TraceError(path: source, line: nil, message: "trace has no rows")
        }
        var offsets: [Int64] = []
        offsets.reserveCapacity(rows.count)
        for row in rows { offsets.append(Int64(((row.seconds - first.seconds) * 1e9).rounded())) }
        let lastInterval: Int64 = rows.count > 1 ? offsets[offsets.count - 1] / Int64(rows.count - 1) : 1_000_000_000
        let period = offsets[offsets.count - 1] + lastInterval
        var cumulative: [Double] = [0]
        cumulative.reserveCapacity(rows.count + 1)
        for (index, row) in rows.enumerated() {
            let end = index + 1 < offsets.count ? offsets[index + 1] : period
            let bytes = row.megabitsPerSecond * 1e6 / 8 * Double(end - offsets[index]) / 1e9
            cumulative.append(cumulative[cumulative.count - 1] + bytes)
        }
        guard cumulative[cumulative.count - 1] > 0 else {
            throw TraceError(path: source, line: nil, message: "trace carries no bytes (every rate is 0)")
        }
        format = .rateRows
        self.source = source
        periodNanoseconds = period
        times = offsets
        levels = cumulative
        bytesPerPeriod = cumulative[cumulative.count - 1]
    }

    /// Bytes the link can have carried from offset 0 up to and including `offset` (ns, ≥ 0).
    public func level(at offset: Int64) -> Double {
        let clamped = max(0, offset)
        let loops = clamped / periodNanoseconds
        let within = clamped % periodNanoseconds
        return Double(loops) * bytesPerPeriod + levelWithinPeriod(within)
    }

    /// The smallest offset (ns) at which `level(at:)` reaches `bytes`.
    public func offset(reaching bytes: Double) -> Int64 {
        guard bytes > 0 else { return 0 }
        var loops = (bytes / bytesPerPeriod).rounded(.down)
        var remainder = bytes - loops * bytesPerPeriod
        if remainder <= 0 && loops > 0 {
            loops -= 1
            remainder += bytesPerPeriod
        }
        return Int64(loops) * periodNanoseconds + offsetWithinPeriod(reaching: remainder)
    }

    private func levelWithinPeriod(_ offset: Int64) -> Double {
        switch format {
        case .mahimahi:
            // Opportunities at or before `offset`.
            return Double(upperBound(times, offset) * Self.mahimahiOpportunityBytes)
        case .rateRows:
            let segment = upperBound(times, offset) - 1
            let start = times[segment]
            let end = segment + 1 < times.count ? times[segment + 1] : periodNanoseconds
            let fraction = end > start ? Double(offset - start) / Double(end - start) : 0
            return levels[segment] + (levels[segment + 1] - levels[segment]) * fraction
        }
    }

    private func offsetWithinPeriod(reaching bytes: Double) -> Int64 {
        switch format {
        case .mahimahi:
            let index = Int((bytes / Double(Self.mahimahiOpportunityBytes)).rounded(.up)) - 1
            return times[min(max(index, 0), times.count - 1)]
        case .rateRows:
            // First breakpoint j ≥ 1 with levels[j] ≥ bytes; segment j-1 then rises strictly to it.
            var low = 1
            var high = levels.count - 1
            while low < high {
                let mid = (low + high) / 2
                if levels[mid] >= bytes { high = mid } else { low = mid + 1 }
            }
            let segment = low - 1
            let start = times[segment]
            let end = segment + 1 < times.count ? times[segment + 1] : periodNanoseconds
            let rise = levels[segment + 1] - levels[segment]
            let fraction = rise > 0 ? (bytes - levels[segment]) / rise : 1
            return start + Int64((Double(end - start) * fraction).rounded(.up))
        }
    }

    /// Number of elements of the sorted `values` that are ≤ `key`.
    private func upperBound(_ values: [Int64], _ key: Int64) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
