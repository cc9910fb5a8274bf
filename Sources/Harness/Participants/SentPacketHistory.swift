import Engine
import RTP

/// The publisher's copy of recently sent packets, by sequence number, for answering NACKs
/// (libwebrtc keeps about one second of history; this keeps the last `capacity` packets).
///
/// As libwebrtc's `RtpPacketHistory` (`VerifyRtt`), a packet already retransmitted is not sent
/// again until one round-trip time has passed since that retransmission: its copy is probably
/// still in flight, and a NACK storm (several requests for one packet within one RTT) would
/// otherwise multiply the uplink load exactly when the uplink is the bottleneck.
struct SentPacketHistory {
    /// Retransmissions sent and requests ignored because the packet was resent within one RTT.
    struct Counts: Hashable {
        var sent = 0
        var suppressed = 0
    }

    /// One slot of the ring: a packet, its sequence number, and when it was last retransmitted.
    private struct Slot {
        var packet: [UInt8]?
        var sequence: UInt16 = 0
        var lastResentAt: Instant?
    }

    /// One array (not one per field): a store checks one buffer for uniqueness, not three.
    private var slots: [Slot]

    init(capacity: Int = 1_024) {
        slots = Array(repeating: Slot(), count: capacity)
    }

    mutating func store(_ packet: [UInt8], sequence: UInt16) {
        slots[Int(sequence) % slots.count] = Slot(packet: packet, sequence: sequence)
    }

    func packet(sequence: UInt16) -> [UInt8]? {
        let slot = slots[Int(sequence) % slots.count]
        return slot.sequence == sequence ? slot.packet : nil
    }

    /// RTX packets (RFC 4588) answering a NACK for `sequences` at `now`, for those still in the
    /// history and not retransmitted within `rtt` before, numbered from `rtxSequence` (advanced
    /// past the last one sent). `counts` adds what was sent and what was held back.
    mutating func rtxPackets(for sequences: [UInt16], ssrc: UInt32, payloadType: UInt8, rtxSequence: inout UInt16,
                             now: Instant, rtt: Duration, counts: inout Counts) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for sequence in sequences {
            guard let original = packet(sequence: sequence) else { continue }
            let index = Int(sequence) % slots.count
            if let last = slots[index].lastResentAt, now - last < rtt {
                counts.suppressed += 1
                continue
            }
            guard let rtx = try? RTX.wrap(original, ssrc: ssrc, payloadType: payloadType,
                                          sequenceNumber: SequenceNumber(rtxSequence)) else { continue }
            rtxSequence &+= 1
            slots[index].lastResentAt = now
            counts.sent += 1
            packets.append(rtx)
        }
        return packets
    }
}
