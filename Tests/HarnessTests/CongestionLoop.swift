import Engine
@testable import Harness
import RTP

/// A closed congestion-control loop in virtual time, for estimator scenarios: a greedy sender
/// that sends exactly at the estimator's target (like an encoder following it; or at most
/// `mediaLimit`, like an application-limited one) plus the probe clusters the estimator asks
/// for, over a seeded `LinkEmulator` bottleneck to a receiver that sends transport-cc feedback
/// (serialized and parsed, as on the wire) back over a fixed delay.
/// Time advances in 1 ms steps; nothing sleeps.
struct CongestionLoop {
    struct Sample {
        var time: Double
        var estimate: Bitrate
        var capacity: Bitrate
    }

    var estimator: SendSideBandwidthEstimator
    var link: LinkEmulator<UInt16>
    var feedback: TransportFeedbackGenerator
    let returnDelay: Duration
    let capacity: (Instant) -> Bitrate
    private(set) var samples: [Sample] = []
    /// Every probe result the estimator took from feedback: (time s, result).
    private(set) var probeResults: [(time: Double, bitrate: Bitrate)] = []
    /// Media never exceeds this rate (nil: the sender follows the target).
    var mediaLimit: Bitrate?
    /// (time s, queuing delay ms at the bottleneck) of every delivered packet.
    private(set) var queueDelays: [(time: Double, milliseconds: Double)] = []
    private var returning: [(at: Instant, bytes: [UInt8])] = []
    private var sequence: UInt16 = 1
    private var mediaCredit = 0.0
    private var probe: (cluster: ProbeCluster, start: Instant, bytes: Int, packets: Int)?
    private var now = Instant.zero
    static let packetBytes = 1_200
    static let probePacketBytes = 300

    init(link: LinkProfile, schedule: [LinkChange] = [], initial: Bitrate = 300_000, seed: UInt64 = 1,
         settings: CongestionSettings = CongestionSettings(), capacity: @escaping (Instant) -> Bitrate) throws {
        estimator = SendSideBandwidthEstimator(initial: initial, min: 30_000, max: 20_000_000, settings: settings)
        estimator.setDesiredBitrate(20_000_000)
        self.link = try LinkEmulator(profile: link, generator: SeededGenerator(seed: seed), schedule: schedule,
                                     traceDirectory: fixturesDirectory)
        feedback = TransportFeedbackGenerator(interval: .milliseconds(Int64(settings.feedbackInterval)))
        returnDelay = .milliseconds(Int64(link.delay))
        self.capacity = capacity
    }

    mutating func run(until end: Instant) {
        while now < end {
            now = now + .milliseconds(1)
            // Media at the target, in whole packets.
            mediaCredit += min(estimator.target, mediaLimit ?? estimator.target).bytes(in: .milliseconds(1))
            while mediaCredit >= Double(Self.packetBytes) {
                mediaCredit -= Double(Self.packetBytes)
                send(bytes: Self.packetBytes, probeCluster: nil)
            }
            sendProbe()
            // Deliveries at the receiver.
            link.handleTimeout(now: now)
            while let packet = link.pollPacket(now: now) {
                feedback.received(sequence: packet.payload, now: packet.deliveredAt)
                queueDelays.append((now.seconds, (packet.departedAt - packet.sentAt).milliseconds))
            }
            for message in feedback.takeFeedback(senderSSRC: 1, mediaSSRC: 2, now: now) {
                returning.append((now + returnDelay, RTCPPacket.serializeCompound([.transportFeedback(message)])))
            }
            // Feedback back at the sender.
            while let first = returning.first, first.at <= now {
                returning.removeFirst()
                guard let packets = try? RTCPPacket.parseCompound(first.bytes) else { continue }
                for case .transportFeedback(let message) in packets {
                    let before = estimator.probeResultCount
                    estimator.handleFeedback(message, now: now)
                    if estimator.probeResultCount > before, let result = estimator.lastProbeResult {
                        probeResults.append((now.seconds, result))
                    }
                }
            }
            if now.nanoseconds % 100_000_000 == 0 {
                estimator.process(now: now)
                samples.append(Sample(time: now.seconds, estimate: estimator.target, capacity: capacity(now)))
            }
        }
    }

    private mutating func send(bytes: Int, probeCluster: Int?) {
        estimator.packetSent(sequence: sequence, bytes: bytes, probeCluster: probeCluster, now: now)
        link.send(sequence, size: bytes, now: now)
        sequence &+= 1
    }

    private mutating func sendProbe() {
        if probe == nil, let cluster = estimator.takeProbeCluster() { probe = (cluster, now, 0, 0) }
        guard var current = probe else { return }
        while current.start + current.cluster.bitrate.transmissionTime(bytes: current.bytes) <= now {
            send(bytes: Self.probePacketBytes, probeCluster: current.cluster.id)
            current.bytes += Self.probePacketBytes
            current.packets += 1
            if current.bytes >= current.cluster.totalBytes && current.packets >= current.cluster.minPackets {
                probe = nil
                return
            }
        }
        probe = current
    }

    /// Estimate / capacity samples within [from, to) seconds.
    func ratios(from: Double, to: Double) -> [Double] {
        samples.filter { $0.time >= from && $0.time < to }
            .map { Double($0.estimate.bitsPerSecond) / Double(max(1, $0.capacity.bitsPerSecond)) }
    }

    /// The estimate at `time` seconds (the last sample at or before it).
    func estimate(at time: Double) -> Bitrate {
        samples.last { $0.time <= time + 1e-9 }?.estimate ?? .zero
    }

    /// The standing queue: in each 1 s window from `from`, the smallest queuing delay (the part
    /// of the queue that never drained), and the largest of those.
    func largestStandingQueue(from: Double, to: Double) -> Double {
        var minimumPerSecond: [Int: Double] = [:]
        for sample in queueDelays where sample.time >= from && sample.time < to {
            let second = Int(sample.time)
            minimumPerSecond[second] = min(minimumPerSecond[second] ?? .infinity, sample.milliseconds)
        }
        return minimumPerSecond.values.max() ?? 0
    }
}
