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
}
