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

    /// Status symbols: 0 not received, 1 small delta (0...255 ticks), 2 large or negative delta.
    var statusSymbols: [UInt8] {
        packets.map { packet in
            guard let delta = packet.arrivalDeltaMicroseconds else { return 0 }
            let ticks = delta / Self.deltaTickMicroseconds
            return (0...255).contains(ticks) ? 1 : 2
        }
    }

    /// Packet status chunks for `symbols`: a run-length chunk for runs of 14 or more (or a run
    /// that ends the list), else a 1-bit vector of 14 when no large delta is among the next 14,
    /// else a run-length chunk for runs of 7 or more, else a 2-bit vector of 7.
    static func chunks(for symbols: [UInt8]) -> [UInt16] {
        var chunks: [UInt16] = []
        var index = 0
        while index < symbols.count {
            let symbol = symbols[index]
            var run = 1
            while index + run < symbols.count, symbols[index + run] == symbol, run < 0x1FFF { run += 1 }
            let remaining = symbols.count - index
            let window = symbols[index..<Swift.min(index + 14, symbols.count)]
            if run >= 14 || run == remaining || (run >= 7 && window.contains(2)) {
                chunks.append(UInt16(symbol) << 13 | UInt16(run))
                index += run
            } else if !window.contains(2) {
                var chunk: UInt16 = 0x8000
                for (slot, value) in window.enumerated() { chunk |= UInt16(value) << (13 - slot) }
                chunks.append(chunk)
                index += window.count
            } else {
                var chunk: UInt16 = 0xC000
                let seven = symbols[index..<Swift.min(index + 7, symbols.count)]
                for (slot, value) in seven.enumerated() { chunk |= UInt16(value) << (12 - 2 * slot) }
                chunks.append(chunk)
                index += seven.count
            }
        }
        return chunks
    }

    /// Appends the packet (padded to 32 bits with the P bit, as libwebrtc does). Deltas are
    /// written in whole 250 µs ticks (truncated).
    public func append(to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: Self.format, packetType: RTCPPacketType.transportFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        bytes.appendUInt16(baseSequenceNumber)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: packets.count))
        bytes.appendUInt24(UInt32(bitPattern: referenceTimeTicks) & 0xFF_FFFF)
        bytes.append(feedbackPacketCount)
        let symbols = statusSymbols
        for chunk in Self.chunks(for: symbols) { bytes.appendUInt16(chunk) }
        for (packet, symbol) in zip(packets, symbols) {
            guard let delta = packet.arrivalDeltaMicroseconds else { continue }
            let ticks = delta / Self.deltaTickMicroseconds
            if symbol == 1 {
                bytes.append(UInt8(ticks))
            } else {
                bytes.appendUInt16(UInt16(bitPattern: Int16(clamping: ticks)))
            }
        }
        RTCPWriter.finishWithPaddingBit(&bytes, start: start)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}

extension RTCPWriter {
    /// Pads to a 32-bit boundary using RTCP padding (P bit, last byte = count) and sets the length.
    static func finishWithPaddingBit(_ bytes: inout [UInt8], start: Int) {
        let padding = (4 - (bytes.count - start) % 4) % 4
        if padding > 0 {
            bytes.append(contentsOf: repeatElement(0, count: padding - 1))
            bytes.append(UInt8(padding))
            bytes[start] |= 0x20
        }
        finish(&bytes, start: start)
    }
}
