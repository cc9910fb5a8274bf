// libFuzzer target: RTP header parse, RFC 8285 extension iteration, in-place rewrite, RTX
// round trip. Built together with Sources/RTP/*.swift by scripts/fuzz.sh (one module, no import).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTPPacket(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let header: RTPHeader
    do { header = try RTPHeader(parsing: input) } catch { return 0 }
    precondition(header.payloadRange.lowerBound <= header.payloadRange.upperBound && header.packetLength == size)
    let view = RTPPacketView(unchecked: input, header: header)
    var elementBytes = 0
    for element in view.extensionElements {
        precondition(element.range.lowerBound >= 12 && element.range.upperBound <= header.headerLength)
        elementBytes += element.range.count
        _ = AbsSendTime(extensionValue: UnsafeRawBufferPointer(rebasing: input[element.range]))
        _ = AudioLevelExtension(extensionValue: UnsafeRawBufferPointer(rebasing: input[element.range]))
        _ = TransportWideSequenceNumberExtension.decode(UnsafeRawBufferPointer(rebasing: input[element.range]))
    }
    _ = elementBytes
    for index in 0..<header.csrcCount { precondition(view.csrc(at: index) != nil) }

    // In-place rewriting keeps the packet parseable and changes exactly the written fields.
    var copy = Array(input)
    copy.withUnsafeMutableBytes { raw in
        guard let mutable = try? RTPMutablePacketView(parsing: raw) else { preconditionFailure("reparse failed") }
        mutable.setSSRC(~header.ssrc)
        mutable.setSequenceNumber(header.sequenceNumber.advanced(by: 1))
        mutable.setPayloadType(header.payloadType ^ 0x7F)
        mutable.setMarker(!header.marker)
        mutable.setTimestamp(header.timestamp &+ 1)
        mutable.setTransportWideSequenceNumber(7, id: 1)
        mutable.setAbsSendTime(AbsSendTime(rawValue: 9), id: 2)
    }
    // Remapping IDs (dropping even ones) keeps the packet parseable and removes exactly those elements.
    let oddIDs = view.extensionElements.filter { $0.id % 2 == 1 }.map(\.id)
    let remapped = copy.withUnsafeMutableBytes { raw in
        (try? RTPMutablePacketView(parsing: raw))?.remapExtensionIDs { $0 % 2 == 1 ? $0 : nil }
    }
    guard let rewritten = try? RTPHeader(parsing: copy) else { preconditionFailure("rewritten packet rejected") }
    if remapped == true {
        let remaining = copy.withUnsafeBytes { raw in RTPPacketView(unchecked: raw, header: rewritten).extensionElements.map(\.id) }
        precondition(remaining == oddIDs, "remap changed the wrong elements")
    }
    precondition(rewritten.ssrc == ~header.ssrc && rewritten.marker != header.marker && rewritten.headerLength == header.headerLength)

    // RTX wrap then unwrap restores the packet without its padding.
    var rtx = [UInt8](repeating: 0, count: RTX.wrappedLength(of: header))
    let wrapped = rtx.withUnsafeMutableBytes { out in
        try? RTX.wrap(input, ssrc: 5, payloadType: 97, sequenceNumber: SequenceNumber(3), into: out)
    }
    guard let wrapped, wrapped == rtx.count else { preconditionFailure("RTX wrap failed") }
    var restored = [UInt8](repeating: 0, count: rtx.count)
    let restoredLength = rtx.withUnsafeBytes { source in
        restored.withUnsafeMutableBytes { out in
            try? RTX.unwrap(source, originalSSRC: header.ssrc, originalPayloadType: header.payloadType, into: out)
        }
    }
    guard let restoredLength else { preconditionFailure("RTX unwrap failed") }
    precondition(restoredLength == header.headerLength + header.payloadLength)
    precondition(Array(restored[1..<restoredLength]) == Array(input[1..<restoredLength]))
    return 0
}
