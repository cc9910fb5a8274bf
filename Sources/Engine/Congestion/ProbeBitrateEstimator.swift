/// Measures what a probe cluster achieved (libwebrtc `ProbeBitrateEstimator`): the send rate
/// (bytes without the last packet over the send span) and the receive rate (bytes without the
/// first packet over the arrival span). When the receive rate is clearly below the send rate the
/// path saturated and the result is 95 % of the receive rate; otherwise the smaller of the two.
public struct ProbeBitrateEstimator: Sendable {
    private struct Cluster {
        var firstSend: Instant
        var lastSend: Instant
        var firstArrival: Instant
        var lastArrival: Instant
        var lastSendBytes: Int
        var firstArrivalBytes: Int
        var bytes = 0
        var packets = 0
    }

    private var clusters: [Int: Cluster] = [:]
    /// Received packets needed from a 5-packet cluster (80 %).
    public var minPackets = 4

    public init() {}

    /// Adds an acknowledged probe packet; returns the cluster's rate over what arrived so far,
    /// once enough of it did (the last value of a feedback message is the one to use).
    public mutating func add(_ packet: PacketResult) -> Bitrate? {
        guard let id = packet.probeCluster, let arrival = packet.arrivedAt else { return nil }
        var cluster = clusters[id] ?? Cluster(firstSend: packet.sentAt, lastSend: packet.sentAt, firstArrival: arrival,
                                              lastArrival: arrival, lastSendBytes: packet.bytes, firstArrivalBytes: packet.bytes)
        if packet.sentAt < cluster.firstSend { cluster.firstSend = packet.sentAt }
        if packet.sentAt >= cluster.lastSend {
            cluster.lastSend = packet.sentAt
            cluster.lastSendBytes = packet.bytes
        }
        if arrival < cluster.firstArrival {
            cluster.firstArrival = arrival
            cluster.firstArrivalBytes = packet.bytes
        }
        cluster.lastArrival = max(cluster.lastArrival, arrival)
        cluster.bytes += packet.bytes
        cluster.packets += 1
        defer { clusters[id] = cluster }
        // Forget old clusters.
        if clusters.count > 8, let oldest = clusters.keys.min(), oldest != id { clusters[oldest] = nil }
        guard cluster.packets >= minPackets else { return nil }
        let sendSpan = cluster.lastSend - cluster.firstSend
        let arrivalSpan = cluster.lastArrival - cluster.firstArrival
        guard sendSpan > .zero, arrivalSpan > .zero, sendSpan <= .seconds(1), arrivalSpan <= .seconds(1) else { return nil }
        let sendRate = Double(cluster.bytes - cluster.lastSendBytes) * 8 / sendSpan.secondsDouble
        let receiveRate = Double(cluster.bytes - cluster.firstArrivalBytes) * 8 / arrivalSpan.secondsDouble
        let result = receiveRate < 0.9 * sendRate ? 0.95 * receiveRate : min(sendRate, receiveRate)
        return Bitrate(bitsPerSecond: Int64(result))
    }
}
