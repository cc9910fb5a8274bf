import RTP

/// The publisher's copy of recently sent packets, by sequence number, for answering NACKs
/// (libwebrtc keeps about one second of history; this keeps the last `capacity` packets).
struct SentPacketHistory {
    private var packets: [[UInt8]?]
    private var sequences: [UInt16]

    init(capacity: Int = 1_024) {
        packets = Array(repeating: nil, count: capacity)
        sequences = Array(repeating: 0, count: capacity)
    }

    mutating func store(_ packet: [UInt8], sequence: UInt16) {
        let index = Int(sequence) % packets.count
        packets[index] = packet
        sequences[index] = sequence
    }

    func packet(sequence: UInt16) -> [UInt8]? {
        let index = Int(sequence) % packets.count
        return sequences[index] == sequence ? packets[index] : nil
    }

    /// RTX packets (RFC 4588) answering a NACK for `sequences`, for those still in the history,
    /// numbered from `rtxSequence` (advanced past the last one sent).
    func rtxPackets(for sequences: [UInt16], ssrc: UInt32, payloadType: UInt8, rtxSequence: inout UInt16) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for sequence in sequences {
            guard let original = packet(sequence: sequence),
                  let rtx = try? RTX.wrap(original, ssrc: ssrc, payloadType: payloadType,
                                          sequenceNumber: SequenceNumber(rtxSequence)) else { continue }
            rtxSequence &+= 1
            packets.append(rtx)
        }
        return packets
    }
}
