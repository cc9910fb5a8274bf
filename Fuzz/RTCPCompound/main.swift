// libFuzzer target: RTCP compound parse; a parsed compound re-serializes to a canonical form
// that parses back to the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTCPCompound(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    _ = RTPDemux.isRTCP(input)
    for result in RTCPCompoundIterator(input) {
        guard case .success(let header) = result else { break }
        precondition(header.bodyRange.lowerBound >= header.range.lowerBound && header.bodyRange.upperBound <= header.range.upperBound)
    }
    guard let packets = try? RTCPPacket.parseCompound(input) else { return 0 }
    for packet in packets {
        switch packet {
        case .nack(let nack): _ = nack.lostSequenceNumbers
        case .transportFeedback(let feedback): _ = feedback.arrivalTimesMicroseconds
        case .sdes(let sdes): _ = sdes.chunks.map(\.cname)
        case .extendedReport(let report):
            _ = report.receiverReferenceTimes.map(\.compactNTPTimestamp)
            _ = report.delaySinceLastReceiverReportItems.count
        default: break
        }
    }
    let canonical = RTCPPacket.serializeCompound(packets)
    guard let reparsed = try? RTCPPacket.parseCompound(canonical) else { preconditionFailure("canonical form rejected") }
    precondition(RTCPPacket.serializeCompound(reparsed) == canonical, "serialization not canonical")
    return 0
}
