/// A bit rate in bits per second. Encodes to and from YAML/JSON as a plain integer (bps),
/// matching mediasoup's options such as `initialAvailableOutgoingBitrate`.
public struct Bitrate: Comparable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, AdditiveArithmetic
{
    /// Bits per second.
    public var bitsPerSecond: Int64

    public init(bitsPerSecond: Int64) { self.bitsPerSecond = bitsPerSecond }
    public init(integerLiteral value: Int64) { self.bitsPerSecond = value }

    public static func kbps(_ value: Double) -> Bitrate { Bitrate(bitsPerSecond: Int64((value * 1_000).rounded())) }
    public static func mbps(_ value: Double) -> Bitrate { Bitrate(bitsPerSecond: Int64((value * 1_000_000).rounded())) }

    public static let zero = Bitrate(bitsPerSecond: 0)

    /// Bytes that this rate carries in `duration`.
    public func bytes(in duration: Duration) -> Double {
        Double(bitsPerSecond) / 8 * duration.secondsDouble
    }

    /// The time this rate takes to carry `bytes` (infinite rate for non-positive values is not allowed).
    public func transmissionTime(bytes: Int) -> Duration {
        precondition(bitsPerSecond > 0, "transmission time needs a positive bit rate")
        return .nanoseconds(Int64(bytes) * 8 * 1_000_000_000 / bitsPerSecond)
    }

    public var kbps: Double { Double(bitsPerSecond) / 1_000 }

    public static func < (lhs: Bitrate, rhs: Bitrate) -> Bool { lhs.bitsPerSecond < rhs.bitsPerSecond }
    public static func + (lhs: Bitrate, rhs: Bitrate) -> Bitrate { Bitrate(bitsPerSecond: lhs.bitsPerSecond + rhs.bitsPerSecond) }
    public static func - (lhs: Bitrate, rhs: Bitrate) -> Bitrate { Bitrate(bitsPerSecond: lhs.bitsPerSecond - rhs.bitsPerSecond) }
    public static func * (lhs: Bitrate, rhs: Double) -> Bitrate { Bitrate(bitsPerSecond: Int64((Double(lhs.bitsPerSecond) * rhs).rounded())) }

    public init(from decoder: any Decoder) throws {
        bitsPerSecond = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bitsPerSecond)
    }

    public var description: String {
        bitsPerSecond >= 1_000_000 ? "\(Double(bitsPerSecond) / 1e6) Mb/s" : "\(Double(bitsPerSecond) / 1e3) kb/s"
    }
}
