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
        var builder = PacketListBuilder(firstArrivalMicroseconds: arrivals.lazy.compactMap(\.arrivalMicroseconds).first ?? 0,
                                        capacity: arrivals.count)
        for arrival in arrivals {
            guard builder.add(arrival.sequenceNumber, arrivalMicroseconds: arrival.arrivalMicroseconds) else { break }
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, referenceTimeTicks: builder.referenceTimeTicks,
                  feedbackPacketCount: feedbackPacketCount, packets: builder.packets)
    }

    /// Builds feedback as ``init(senderSSRC:mediaSSRC:feedbackPacketCount:arrivals:)`` does from
    /// the list a receiver would make of its unwrapped arrivals: the sequence numbers
    /// `firstLost..<arrivals[0].sequence` as not received, then `arrivals` (sorted by sequence,
    /// each repeat left out), at most `maxEntries` entries of that list. Nothing but the packets
    /// is built (`TransportFeedbackGenerator` made that list for every message).
    public init(
        senderSSRC: UInt32, mediaSSRC: UInt32, feedbackPacketCount: UInt8, notReceivedFrom firstLost: Int64,
        arrivals: UnsafeBufferPointer<(sequence: Int64, arrivalMicroseconds: Int64)>, maxEntries: Int
    ) {
        var builder = PacketListBuilder(firstArrivalMicroseconds: arrivals.first?.arrivalMicroseconds ?? 0,
                                        capacity: Swift.min(maxEntries, arrivals.count + 16))
        var entries = 0
        fill: do {
            if let first = arrivals.first {
                var lost = firstLost
                while lost < first.sequence, entries < maxEntries {
                    entries += 1
                    guard builder.add(UInt16(truncatingIfNeeded: lost), arrivalMicroseconds: nil) else { break fill }
                    lost += 1
                }
            }
            var previous: Int64 = -1
            for arrival in arrivals where arrival.sequence != previous {
                guard entries < maxEntries else { break }
                entries += 1
                previous = arrival.sequence
                guard builder.add(UInt16(truncatingIfNeeded: arrival.sequence), arrivalMicroseconds: arrival.arrivalMicroseconds) else { break }
            }
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, referenceTimeTicks: builder.referenceTimeTicks,
                  feedbackPacketCount: feedbackPacketCount, packets: builder.packets)
    }

    /// The packet list both builders make, one entry at a time.
    private struct PacketListBuilder {
        private(set) var packets: [RTCPTransportFeedbackPacket] = []
        /// The reference time: the first arrival rounded down to 64 ms, wrapped to signed 24 bits.
        let referenceTimeTicks: Int32
        private var previousTicks: Int64
        private var next: UInt16?

        init(firstArrivalMicroseconds: Int64, capacity: Int) {
            let referenceTicks = RTCPTransportFeedback.floorDivide(firstArrivalMicroseconds, RTCPTransportFeedback.referenceTickMicroseconds)
            referenceTimeTicks = Int32(truncatingIfNeeded: (referenceTicks << 40) >> 40)  // low 24 bits, sign-extended
            previousTicks = referenceTicks * (RTCPTransportFeedback.referenceTickMicroseconds / RTCPTransportFeedback.deltaTickMicroseconds)
            packets.reserveCapacity(capacity)
        }

        /// Adds the entry for `sequence` (after the packets missing before it; nothing for a
        /// repeated or older sequence number); false when the message is full or the arrival's
        /// delta does not fit 16 bits, and nothing more may be added.
        @inline(__always)
        mutating func add(_ sequence: UInt16, arrivalMicroseconds: Int64?) -> Bool {
            if let expected = next {
                let gap = Int(Int16(bitPattern: sequence &- expected))
                if gap < 0 { return true }
                for offset in 0..<gap {
                    guard packets.count < 0xFFFF else { return false }
                    packets.append(.init(sequenceNumber: expected &+ UInt16(offset), arrivalDeltaMicroseconds: nil))
                }
            }
            guard packets.count < 0xFFFF else { return false }
            if let time = arrivalMicroseconds {
                let tick = RTCPTransportFeedback.deltaTickMicroseconds
                let ticks = RTCPTransportFeedback.floorDivide(time + tick / 2, tick)
                let delta = ticks - previousTicks
                guard delta >= Int64(Int16.min) && delta <= Int64(Int16.max) else { return false }
                previousTicks = ticks
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: delta * tick))
            } else {
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: nil))
            }
            next = sequence &+ 1
            return true
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
