/// Measures what a probe cluster achieved (libwebrtc `ProbeBitrateEstimator`): the send rate
/// (bytes sent before the last send instant over the send span) and the receive rate (bytes
/// received after the first arrival instant over the arrival span). When the receive rate is
/// clearly below the send rate the path saturated and the result is 95 % of the receive rate;
/// otherwise the smaller of the two.
///
/// A result needs most of the cluster: at least 80 % of its packets and 80 % of its bytes
/// (`register` tells what the cluster carries); and a receive rate more than twice the send rate
/// is not a measurement but an artefact (the arrivals were compressed) and gives no result.
///
/// On links that deliver in bunches (radio links, aggregation, a jittery link that does not
/// reorder) a bunch of packets arrives at one instant after being held back. Every packet that
/// arrived at the first arrival instant was carried before the measured interval starts, so the
/// bytes of the whole first bunch are left out of the receive rate (libwebrtc leaves out only the
/// first packet, which is the same thing when no two packets arrive together); likewise the bytes
/// of every packet sent at the last send instant are left out of the send rate.
public struct ProbeBitrateEstimator: Sendable {
    /// Packets sent this far apart that arrive at the same instant show that the path delivers in
    /// bunches (a FIFO link at any rate the estimator deals with spreads them out).
    static let bunchSendGap: Duration = .milliseconds(1)

    private struct Cluster {
        var firstSend: Instant
        var lastSend: Instant
        var firstArrival: Instant
        var lastArrival: Instant
        /// Bytes of the packets sent at `lastSend`.
        var lastSendBytes = 0
        /// Bytes of the packets that arrived at `firstArrival`.
        var firstArrivalBytes = 0
        var bytes = 0
        var packets = 0
        /// The previous packet added (packets are added in arrival order).
        var previous: (sentAt: Instant, arrival: Instant)?
        /// Two packets sent at least `bunchSendGap` apart arrived at the same instant.
        var bunched = false

        init(_ packet: PacketResult, arrival: Instant) {
            firstSend = packet.sentAt
            lastSend = packet.sentAt
            firstArrival = arrival
            lastArrival = arrival
        }

        mutating func add(_ packet: PacketResult, arrival: Instant) {
            if packet.sentAt < firstSend { firstSend = packet.sentAt }
            if packet.sentAt > lastSend {
                lastSend = packet.sentAt
                lastSendBytes = 0
            }
            if packet.sentAt == lastSend { lastSendBytes += packet.bytes }
            if arrival < firstArrival {
                firstArrival = arrival
                firstArrivalBytes = 0
            }
            if arrival == firstArrival { firstArrivalBytes += packet.bytes }
            lastArrival = Swift.max(lastArrival, arrival)
            bytes += packet.bytes
            packets += 1
            if let previous, previous.arrival == arrival,
               abs((packet.sentAt - previous.sentAt).nanoseconds) >= ProbeBitrateEstimator.bunchSendGap.nanoseconds {
                bunched = true
            }
            previous = (packet.sentAt, arrival)
        }
    }

    /// What a registered cluster carries: its fewest packets and bytes.
    private struct Expected {
        var packets: Int
        var bytes: Int
    }

    /// The clusters being measured and the registered ones, by id: a handful at a time, so
    /// small arrays searched in order (no hashing per probe packet).
    private var clusters: [(id: Int, cluster: Cluster)] = []
    private var expected: [(id: Int, expected: Expected)] = []
    /// Share of the cluster's packets and of its bytes that must have arrived. Default 0.8.
    public var minReceivedRatio = 0.8
    /// Largest receive rate / send rate of a valid result. Default 2.
    public var maxValidRatio = 2.0
    /// Receive rate / send rate below which the path is taken as saturated. Default 0.9.
    public var minRatioForUnsaturatedLink = 0.9
    /// Share of a saturated path's receive rate the result is. Default 0.95.
    public var targetUtilization = 0.95
    /// A cluster is forgotten this long after its last arrival, and its spans may not exceed it.
    /// Default 1 s.
    public var maxClusterAge: Duration = .seconds(1)
    /// The path's base one-way delay (`BaseDelayTracker`), kept current by the owner.
    public var baseDelay: Duration?

    public init() {}

    /// Tells the estimator about a cluster about to be sent; packets of clusters it was not told
    /// about give no result.
    public mutating func register(_ cluster: ProbeCluster) {
        let entry = Expected(packets: cluster.minPackets, bytes: cluster.totalBytes)
        if let index = expected.firstIndex(where: { $0.id == cluster.id }) {
            expected[index].expected = entry
        } else {
            expected.append((cluster.id, entry))
        }
        if expected.count > 16, let oldest = expected.indices.min(by: { expected[$0].id < expected[$1].id }) {
            expected.remove(at: oldest)
        }
    }

    /// Adds an acknowledged probe packet; returns the cluster's rate over what arrived so far,
    /// once enough of it did (the last value of a feedback message is the one to use).
    public mutating func add(_ packet: PacketResult) -> Bitrate? {
        guard let id = packet.probeCluster, let arrival = packet.arrivedAt,
              let wanted = expected.first(where: { $0.id == id })?.expected else { return nil }
        // Forget old clusters (in nanoseconds: instants are whole nanoseconds).
        let maxAge = maxClusterAge.nanoseconds
        func isOld(_ entry: (id: Int, cluster: Cluster)) -> Bool {
            entry.id != id && arrival.nanoseconds &- entry.cluster.lastArrival.nanoseconds > maxAge
        }
        if clusters.contains(where: isOld) { clusters.removeAll(where: isOld) }
        let index: Int
        if let existing = clusters.firstIndex(where: { $0.id == id }) {
            index = existing
        } else {
            clusters.append((id, Cluster(packet, arrival: arrival)))
            index = clusters.count - 1
        }
        clusters[index].cluster.add(packet, arrival: arrival)
        let cluster = clusters[index].cluster

        guard Double(cluster.packets) >= Double(wanted.packets) * minReceivedRatio,
              Double(cluster.bytes) >= Double(wanted.bytes) * minReceivedRatio else { return nil }
        let sendSpan = cluster.lastSend - cluster.firstSend
        let arrivalSpan = cluster.lastArrival - cluster.firstArrival
        guard sendSpan > .zero, arrivalSpan > .zero, sendSpan <= maxClusterAge, arrivalSpan <= maxClusterAge else { return nil }
        let sendRate = Double(cluster.bytes - cluster.lastSendBytes) * 8 / sendSpan.secondsDouble
        let receiveRate = Double(cluster.bytes - cluster.firstArrivalBytes) * 8 / arrivalSpan.secondsDouble
        // Over a path that delivers in bunches, the first arrival may have been held back: the
        // receive span then starts when the first packet could have arrived at the earliest.
        // (Queued packets on a fast link can also arrive together; the result is then lower than
        // the link could carry, never higher.)
        var spanStart = cluster.firstArrival
        if cluster.bunched, let baseDelay { spanStart = Swift.min(spanStart, cluster.firstSend + baseDelay) }
        let assuredReceiveRate = Double(cluster.bytes - cluster.firstArrivalBytes) * 8 / (cluster.lastArrival - spanStart).secondsDouble
        guard sendRate > 0, receiveRate > 0, receiveRate <= maxValidRatio * sendRate else { return nil }
        let result = assuredReceiveRate < minRatioForUnsaturatedLink * sendRate
            ? targetUtilization * assuredReceiveRate : min(sendRate, assuredReceiveRate)
        return Bitrate(bitsPerSecond: Int64(result))
    }
}
