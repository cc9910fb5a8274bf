extension RTCPTransportFeedback {
    /// Appends the packet (padded to 32 bits with the P bit, as libwebrtc does). Deltas are
    /// written in whole 250 µs ticks (truncated).
    ///
    /// One pass per part straight into the wire format: the status symbols go to a temporary
    /// (stack) buffer, chunks and deltas are written through a pointer into room reserved in
    /// `bytes` at once (appending byte by byte to an `inout` array checks its uniqueness at every
    /// byte), and what the worst case left over is removed.
    public func append(to bytes: inout [UInt8]) {
        let start = bytes.count
        // Header 20 bytes; at most one chunk and one 2-byte delta per packet; padding below 4.
        let room = 20 + 4 * packets.count + 3
        bytes.append(contentsOf: repeatElement(0, count: room))
        let written = bytes.withUnsafeMutableBytes { buffer in
            write(into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + room)]))
        }
        bytes.removeLast(room - written)
    }

    /// Writes the whole packet at the start of `buffer` (zeroed, at least `20 + 4 × packets + 3`
    /// bytes); returns its length.
    private func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        buffer[0] = 0x80 | Self.format
        buffer[1] = RTCPPacketType.transportFeedback
        writeUInt32(buffer, 4, senderSSRC)
        writeUInt32(buffer, 8, mediaSSRC)
        writeUInt16(buffer, 12, baseSequenceNumber)
        writeUInt16(buffer, 14, UInt16(truncatingIfNeeded: packets.count))
        writeUInt24(buffer, 16, UInt32(bitPattern: referenceTimeTicks) & 0xFF_FFFF)
        buffer[19] = feedbackPacketCount
        var length = 20
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: packets.count) { symbols in
            for index in packets.indices { symbols[index] = Self.symbol(packets[index]) }
            Self.forEachChunk(of: UnsafeBufferPointer(symbols)) { chunk in
                writeUInt16(buffer, length, chunk)
                length += 2
            }
            for index in packets.indices {
                guard let delta = packets[index].arrivalDeltaMicroseconds else { continue }
                let ticks = delta / Self.deltaTickMicroseconds
                if symbols[index] == 1 {
                    buffer[length] = UInt8(truncatingIfNeeded: ticks)
                    length += 1
                } else {
                    writeUInt16(buffer, length, UInt16(bitPattern: Int16(clamping: ticks)))
                    length += 2
                }
            }
        }
        let padding = (4 - length % 4) % 4
        if padding > 0 {
            // Zeros (already there), then the padding count; the P bit in the first byte.
            length += padding
            buffer[length - 1] = UInt8(padding)
            buffer[0] |= 0x20
        }
        writeUInt16(buffer, 2, UInt16(truncatingIfNeeded: length / 4 - 1))
        return length
    }

    /// A packet's status symbol: 0 not received, 1 small delta (0...255 ticks), 2 large or
    /// negative delta.
    @inline(__always)
    static func symbol(_ packet: RTCPTransportFeedbackPacket) -> UInt8 {
        guard let delta = packet.arrivalDeltaMicroseconds else { return 0 }
        let ticks = delta / deltaTickMicroseconds
        return (0...255).contains(ticks) ? 1 : 2
    }

    /// Status symbols of ``packets``, in order (see `symbol(_:)`).
    var statusSymbols: [UInt8] { packets.map(Self.symbol) }

    /// Packet status chunks for `symbols`: a run-length chunk for runs of 14 or more (or a run
    /// that ends the list), else a 1-bit vector of 14 when no large delta is among the next 14,
    /// else a run-length chunk for runs of 7 or more, else a 2-bit vector of 7.
    static func chunks(for symbols: [UInt8]) -> [UInt16] {
        var chunks: [UInt16] = []
        symbols.withUnsafeBufferPointer { list in forEachChunk(of: list) { chunks.append($0) } }
        return chunks
    }

    /// Hands the chunks for `symbols` to `body` in order (the choice `chunks(for:)` describes).
    @inline(__always)
    static func forEachChunk(of symbols: UnsafeBufferPointer<UInt8>, _ body: (UInt16) -> Void) {
        let count = symbols.count
        var index = 0
        while index < count {
            let symbol = symbols[index]
            var run = 1
            while index + run < count, symbols[index + run] == symbol, run < 0x1FFF { run += 1 }
            let remaining = count - index
            let windowEnd = Swift.min(index + 14, count)
            var windowHasLarge = false
            for position in index..<windowEnd where symbols[position] == 2 {
                windowHasLarge = true
                break
            }
            if run >= 14 || run == remaining || (run >= 7 && windowHasLarge) {
                body(UInt16(symbol) << 13 | UInt16(run))
                index += run
            } else if !windowHasLarge {
                var chunk: UInt16 = 0x8000
                for position in index..<windowEnd { chunk |= UInt16(symbols[position]) << (13 - (position - index)) }
                body(chunk)
                index = windowEnd
            } else {
                var chunk: UInt16 = 0xC000
                let sevenEnd = Swift.min(index + 7, count)
                for position in index..<sevenEnd { chunk |= UInt16(symbols[position]) << (12 - 2 * (position - index)) }
                body(chunk)
                index = sevenEnd
            }
        }
    }
}
