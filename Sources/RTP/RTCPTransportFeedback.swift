/// One packet's entry in a transport-wide feedback message.
public struct RTCPTransportFeedbackPacket: Hashable, Sendable {
    /// The transport-wide sequence number (base + index).
    public var sequenceNumber: UInt16
    /// Arrival time minus the previous received packet's (or, for the first, minus the reference
    /// time), a multiple of 250 µs; nil when the packet was not received.
    public var arrivalDeltaMicroseconds: Int64?

    public init(sequenceNumber: UInt16, arrivalDeltaMicroseconds: Int64?) {
        self.sequenceNumber = sequenceNumber
        self.arrivalDeltaMicroseconds = arrivalDeltaMicroseconds
    }

    public var isReceived: Bool { arrivalDeltaMicroseconds != nil }
}

/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1: RTPFB, FMT 15): base sequence number, status count, 24-bit reference time in 64 ms
/// units, feedback packet count, run-length / status-vector chunks, then 8-bit (small) or
/// 16-bit signed (large) receive deltas in 250 µs units.
public struct RTCPTransportFeedback: Hashable, Sendable {
    public static let format: UInt8 = 15
    /// One delta tick.
    public static let deltaTickMicroseconds: Int64 = 250
    /// One reference-time tick.
    public static let referenceTickMicroseconds: Int64 = 64_000

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    /// Signed 24-bit reference time, in 64 ms ticks.
    public var referenceTimeTicks: Int32
    /// Incremented for each feedback sent (mod 256), to detect lost feedback.
    public var feedbackPacketCount: UInt8
    /// Consecutive sequence numbers from the base, each received (with delta) or not.
    public var packets: [RTCPTransportFeedbackPacket]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, referenceTimeTicks: Int32, feedbackPacketCount: UInt8, packets: [RTCPTransportFeedbackPacket]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.referenceTimeTicks = referenceTimeTicks
        self.feedbackPacketCount = feedbackPacketCount
        self.packets = packets
    }

    /// The base sequence number (of the first packet; 0 when there are none).
    public var baseSequenceNumber: UInt16 { packets.first?.sequenceNumber ?? 0 }

    /// The reference time in microseconds.
    public var referenceTimeMicroseconds: Int64 { Int64(referenceTimeTicks) * Self.referenceTickMicroseconds }

    /// Absolute arrival times (reference time + accumulated deltas), nil for lost packets.
    public var arrivalTimesMicroseconds: [(sequenceNumber: UInt16, arrivalMicroseconds: Int64?)] {
        var time = referenceTimeMicroseconds
        return packets.map { packet in
            guard let delta = packet.arrivalDeltaMicroseconds else { return (packet.sequenceNumber, nil) }
            time += delta
            return (packet.sequenceNumber, time)
        }
    }

    init(reading reader: inout RTCPReader) throws(RTCPParseError) {
        let malformed = RTCPParseError.malformed(packetType: RTCPPacketType.transportFeedback)
        senderSSRC = try reader.uint32()
        mediaSSRC = try reader.uint32()
        let base = try reader.uint16()
        let count = Int(try reader.uint16())
        let reference = try reader.uint24()
        referenceTimeTicks = Int32(bitPattern: reference << 8) >> 8
        feedbackPacketCount = try reader.uint8()
        var symbols: [UInt8] = []
        symbols.reserveCapacity(count)
        while symbols.count < count {
            let chunk = try reader.uint16()
            let left = count - symbols.count
            if chunk & 0x8000 == 0 {
                let symbol = UInt8((chunk >> 13) & 0x03)
                guard symbol != 3 else { throw malformed }
                symbols.append(contentsOf: repeatElement(symbol, count: Swift.min(Int(chunk & 0x1FFF), left)))
            } else if chunk & 0x4000 == 0 {
                for bit in (0..<14).reversed().prefix(left) { symbols.append(UInt8((chunk >> bit) & 0x01)) }
            } else {
                for slot in (0..<7).reversed().prefix(left) {
                    let symbol = UInt8((chunk >> (2 * slot)) & 0x03)
                    guard symbol != 3 else { throw malformed }
                    symbols.append(symbol)
                }
            }
        }
        packets = []
        packets.reserveCapacity(count)
        for (index, symbol) in symbols.enumerated() {
            let sequence = base &+ UInt16(truncatingIfNeeded: index)
            switch symbol {
            case 1:
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(try reader.uint8()) * Self.deltaTickMicroseconds))
            case 2:
                let ticks = Int16(bitPattern: try reader.uint16())
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(ticks) * Self.deltaTickMicroseconds))
            default:
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: nil))
            }
        }
    }
}
