import PropertyBased
import Testing
@testable import RTP

/// The transport-cc parser and writer against the ones they replaced (kept below as references:
/// a symbol list, then packets; symbols, chunks and bytes appended one by one): the same packets
/// or the same error for any body, the same bytes for any packet list.
@Suite struct RTCPTransportFeedbackModelTests {
    @Test func parserMatchesTheReferenceOnAnyBody() async {
        // A valid RTPFB FMT 15 header around random bodies, with a status count small enough that
        // chunks and deltas often fit, so both successes and every kind of failure come up.
        let body = Gen<UInt8>.value().array(of: 16...120)
        await propertyCheck(count: 600, input: body, Gen<UInt16>.value(in: 0...90)) { bytes, count in
            var body = bytes
            body[10] = UInt8(count >> 8)
            body[11] = UInt8(truncatingIfNeeded: count)
            body.removeLast(body.count % 4)
            let words = body.count / 4
            let packet = [0x8F, RTCPPacketType.transportFeedback, UInt8(words >> 8), UInt8(truncatingIfNeeded: words)] + body
            let expected = Self.referenceParse(packet)
            let actual = parseRTCP(packet).map { packets -> RTCPTransportFeedback? in
                guard case .transportFeedback(let feedback)? = packets.first else { return nil }
                return feedback
            }
            switch (expected, actual) {
            case (.success(let reference), .success(let parsed)): #expect(parsed == reference)
            case (.failure(let reference), .failure(let error)): #expect(error == reference)
            default: Issue.record("reference \(expected), parser \(actual)")
            }
        }
    }

    @Test func writerMatchesTheReference() async {
        // Deltas in ticks: not received, small, large, negative, beyond 16 bits (clamped).
        let delta = Gen<Int64>.value(in: -40_000...80_000).optional(valueRate: 0.8)
        await propertyCheck(count: 400, input: Gen<UInt16>.value(), Gen<Int32>.value(in: -0x80_0000...0x7F_FFFF), delta.array(of: 0...300)) { base, reference, deltas in
            let feedback = RTCPTransportFeedback(
                senderSSRC: 0x0102_0304, mediaSSRC: 0x0506_0708, referenceTimeTicks: reference, feedbackPacketCount: UInt8(deltas.count % 256),
                packets: deltas.enumerated().map { index, ticks in
                    RTCPTransportFeedbackPacket(sequenceNumber: base &+ UInt16(index),
                                                arrivalDeltaMicroseconds: ticks.map { $0 * RTCPTransportFeedback.deltaTickMicroseconds })
                })
            var prefix: [UInt8] = [1, 2, 3]
            var expected = prefix
            Self.referenceAppend(feedback, to: &expected)
            feedback.append(to: &prefix)
            #expect(prefix == expected)
        }
    }

    // MARK: - The replaced implementations

    static func referenceParse(_ bytes: [UInt8]) -> Result<RTCPTransportFeedback, RTCPParseError> {
        bytes.withUnsafeBytes { raw in
            var iterator = RTCPCompoundIterator(raw)
            guard let first = iterator.next() else { return .failure(.tooShort) }
            do throws(RTCPParseError) {
                var reader = RTCPReader(raw, try first.get())
                return .success(try referenceRead(&reader))
            } catch { return .failure(error) }
        }
    }

    static func referenceRead(_ reader: inout RTCPReader) throws(RTCPParseError) -> RTCPTransportFeedback {
        let malformed = RTCPParseError.malformed(packetType: RTCPPacketType.transportFeedback)
        let senderSSRC = try reader.uint32()
        let mediaSSRC = try reader.uint32()
        let base = try reader.uint16()
        let count = Int(try reader.uint16())
        let reference = try reader.uint24()
        let referenceTimeTicks = Int32(bitPattern: reference << 8) >> 8
        let feedbackPacketCount = try reader.uint8()
        var symbols: [UInt8] = []
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
        var packets: [RTCPTransportFeedbackPacket] = []
        for (index, symbol) in symbols.enumerated() {
            let sequence = base &+ UInt16(truncatingIfNeeded: index)
            switch symbol {
            case 1:
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(try reader.uint8()) * 250))
            case 2:
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: Int64(Int16(bitPattern: try reader.uint16())) * 250))
            default:
                packets.append(.init(sequenceNumber: sequence, arrivalDeltaMicroseconds: nil))
            }
        }
        return RTCPTransportFeedback(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, referenceTimeTicks: referenceTimeTicks,
                                     feedbackPacketCount: feedbackPacketCount, packets: packets)
    }

    static func referenceChunks(for symbols: [UInt8]) -> [UInt16] {
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

    static func referenceAppend(_ feedback: RTCPTransportFeedback, to bytes: inout [UInt8]) {
        let start = RTCPWriter.begin(&bytes, countOrFormat: RTCPTransportFeedback.format, packetType: RTCPPacketType.transportFeedback)
        bytes.appendUInt32(feedback.senderSSRC)
        bytes.appendUInt32(feedback.mediaSSRC)
        bytes.appendUInt16(feedback.baseSequenceNumber)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: feedback.packets.count))
        bytes.appendUInt24(UInt32(bitPattern: feedback.referenceTimeTicks) & 0xFF_FFFF)
        bytes.append(feedback.feedbackPacketCount)
        let symbols: [UInt8] = feedback.packets.map { packet in
            guard let delta = packet.arrivalDeltaMicroseconds else { return 0 }
            return (0...255).contains(delta / 250) ? 1 : 2
        }
        for chunk in referenceChunks(for: symbols) { bytes.appendUInt16(chunk) }
        for (packet, symbol) in zip(feedback.packets, symbols) {
            guard let delta = packet.arrivalDeltaMicroseconds else { continue }
            let ticks = delta / 250
            if symbol == 1 { bytes.append(UInt8(ticks)) } else { bytes.appendUInt16(UInt16(bitPattern: Int16(clamping: ticks))) }
        }
        let padding = (4 - (bytes.count - start) % 4) % 4
        if padding > 0 {
            bytes.append(contentsOf: repeatElement(0, count: padding - 1))
            bytes.append(UInt8(padding))
            bytes[start] |= 0x20
        }
        RTCPWriter.finish(&bytes, start: start)
    }
}
