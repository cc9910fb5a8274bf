extension RTCPTransportFeedback {
    /// Builds feedback from arrivals in sending order (wrap-aware). Gaps between consecutive
    /// sequence numbers are reported as not received; the reference time is the first arrival
    /// rounded down to 64 ms and wrapped to 24 bits (every 2^24 × 64 ms ≈ 12.4 days, as
    /// libwebrtc does; receivers unwrap it); deltas are quantized to 250 µs without drift (each arrival is
    /// rounded, then differenced). Arrivals whose delta does not fit 16 bits, and any after them,
    /// are left out: compare ``packets``' count with the input to send the rest in another message.
    /// Duplicate or older sequence numbers are ignored.
    public init(
        senderSSRC: UInt32, mediaSSRC: UInt32, feedbackPacketCount: UInt8,
        arrivals: [(sequenceNumber: UInt16, arrivalMicroseconds: Int64?)]
    ) {
        let firstArrival = arrivals.lazy.compactMap(\.arrivalMicroseconds).first ?? 0
        let referenceTicks = Self.floorDivide(firstArrival, Self.referenceTickMicroseconds)
        var previousTicks = referenceTicks * (Self.referenceTickMicroseconds / Self.deltaTickMicroseconds)
        var packets: [RTCPTransportFeedbackPacket] = []
        packets.reserveCapacity(arrivals.count)
        var next: UInt16? = nil
        outer: for arrival in arrivals {
            if let expected = next {
                let gap = Int(Int16(bitPattern: arrival.sequenceNumber &- expected))
                if gap < 0 { continue }
                for offset in 0..<gap {
                    guard packets.count < 0xFFFF else { break outer }
                    packets.append(.init(sequenceNumber: expected &+ UInt16(offset), arrivalDeltaMicroseconds: nil))
                }
            }
            guard packets.count < 0xFFFF else { break }
            if let time = arrival.arrivalMicroseconds {
                let ticks = Self.floorDivide(time + Self.deltaTickMicroseconds / 2, Self.deltaTickMicroseconds)
                let delta = ticks - previousTicks
                guard delta >= Int64(Int16.min) && delta <= Int64(Int16.max) else { break }
                previousTicks = ticks
                packets.append(.init(sequenceNumber: arrival.sequenceNumber, arrivalDeltaMicroseconds: delta * Self.deltaTickMicroseconds))
            } else {
                packets.append(.init(sequenceNumber: arrival.sequenceNumber, arrivalDeltaMicroseconds: nil))
            }
            next = arrival.sequenceNumber &+ 1
        }
        self.init(
            senderSSRC: senderSSRC, mediaSSRC: mediaSSRC,
            referenceTimeTicks: Int32(truncatingIfNeeded: (referenceTicks << 40) >> 40),  // low 24 bits, sign-extended
            feedbackPacketCount: feedbackPacketCount, packets: packets)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
