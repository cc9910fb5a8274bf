import ControlAPI
import Histogram

/// Engine latency of forwarded packets by stage (docs/engine-server.md), in HdrHistograms with
/// nanosecond values and three significant digits.
struct StageLatencyRecorder {
    /// The stages, in the order `RoomStats.engineLatency` lists them.
    enum Stage: Int, CaseIterable {
        /// Socket read complete to engine input (to the start of decryption on webrtc transports).
        case receive
        /// SRTP decryption of the incoming packet (webrtc transports).
        case decrypt
        /// Engine input to the transmit leaving `poll()`.
        case route
        /// Copying the transmit into the socket buffer and its SRTP encryption (webrtc transports).
        case encrypt
        /// Transmit leaving `poll()` (after encryption on webrtc transports) to the socket write (flush) completing.
        case send
        /// Socket read complete to the socket write completing.
        case total

        var name: String {
            switch self {
            case .receive: "receive"
            case .decrypt: "decrypt"
            case .route: "route"
            case .encrypt: "encrypt"
            case .send: "send"
            case .total: "total"
            }
        }
    }

    private var histograms: [Histogram<UInt64>]

    init() {
        histograms = Stage.allCases.map { _ in
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000_000,
                                              numberOfSignificantValueDigits: .three)
            histogram.autoResize = true
            return histogram
        }
    }

    mutating func record(_ stage: Stage, nanoseconds: UInt64) {
        _ = histograms[stage.rawValue].record(nanoseconds)
    }

    var count: Int { Int(histograms[Stage.total.rawValue].totalCount) }

    /// Percentiles of every stage with at least one value, in microseconds.
    var summary: [StageLatency] {
        Stage.allCases.compactMap { stage in
            let histogram = histograms[stage.rawValue]
            guard histogram.totalCount > 0 else { return nil }
            func micros(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1_000 }
            return StageLatency(stage: stage.name, count: Int(histogram.totalCount), p50Micros: micros(50), p90Micros: micros(90),
                                p95Micros: micros(95), p99Micros: micros(99), maxMicros: Double(histogram.max) / 1_000)
        }
    }
}
