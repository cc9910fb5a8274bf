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
        // Pass 1: the status chunks, checked, to find where the deltas begin.
        var chunks = reader
        var covered = 0
        while covered < count {
            let chunk = try reader.uint16()
            let left = count - covered
            if chunk & 0x8000 == 0 {
                guard (chunk >> 13) & 0x03 != 3 else { throw malformed }
                covered += Swift.min(Int(chunk & 0x1FFF), left)
            } else if chunk & 0x4000 == 0 {
                covered += Swift.min(14, left)
            } else {
                let used = Swift.min(7, left)
                for slot in 0..<used where (chunk >> (12 - 2 * slot)) & 0x03 == 3 { throw malformed }
                covered += used
            }
        }
        // Pass 2: the same chunks again, each symbol straight into its packet, its delta read
        // from `reader` (now at the deltas). No symbol list in between.
        var list: [RTCPTransportFeedbackPacket] = []
        list.reserveCapacity(count)
        while list.count < count {
            let chunk = try chunks.uint16()
            let left = count - list.count
            if chunk & 0x8000 == 0 {
                let symbol = (chunk >> 13) & 0x03
                for _ in 0..<Swift.min(Int(chunk & 0x1FFF), left) {
                    list.append(try Self.packet(symbol: symbol, sequence: base &+ UInt16(truncatingIfNeeded: list.count), reader: &reader))
                }
            } else if chunk & 0x4000 == 0 {
                for slot in 0..<Swift.min(14, left) {
                    let symbol = (chunk >> (13 - slot)) & 0x01
                    list.append(try Self.packet(symbol: symbol, sequence: base &+ UInt16(truncatingIfNeeded: list.count), reader: &reader))
                }
            } else {
                for slot in 0..<Swift.min(7, left) {
                    let symbol = (chunk >> (12 - 2 * slot)) & 0x03
                    list.append(try Self.packet(symbol: symbol, sequence: base &+ UInt16(truncatingIfNeeded: list.count), reader: &reader))
                }
            }
        }
        packets = list
    }

    /// The packet a status symbol stands for, with its delta read from `reader` (symbol 1: one
    /// byte, 2: two bytes signed; 0: not received, nothing read).
    @inline(__always)
    private static func packet(symbol: UInt16, sequence: UInt16, reader: inout RTCPReader) throws(RTCPParseError) -> RTCPTransportFeedbackPacket {
        switch symbol {
        case 1:
            return .init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(try reader.uint8()) * deltaTickMicroseconds)
        case 2:
            let ticks = Int16(bitPattern: try reader.uint16())
            return .init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(ticks) * deltaTickMicroseconds)
        default:
            return .init(sequenceNumber: sequence, arrivalDeltaMicroseconds: nil)
        }
    }
}
