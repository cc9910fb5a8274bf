import RTP

/// Where the header extensions the receive path reads sit in one received RTP packet: found in
/// one walk of its RFC 8285 extension block, then shared by everything downstream (transport-cc
/// and abs-send-time recording, audio levels, the offsets every forwarded copy is stamped at)
/// instead of each of them parsing the header and walking the block again.
///
/// Like `RTPPacketView.extensionRange(id:)`, each field is the first element with that id.
struct ReceivedExtensions {
    /// Value bytes of the abs-send-time element.
    var absSendTime: Range<Int>?
    /// Value bytes of the transport-wide sequence number element.
    var transportWideCC: Range<Int>?
    /// Value bytes of the audio level element (RFC 6464).
    var audioLevel: Range<Int>?

    /// No extensions found (yet).
    init() {}

    /// Walks the extension block of `packet` (already parsed as `header`) once. The receive path
    /// reads both in one pass (`ReceivedRTP`); this is the model its tests compare with.
    init(packet: UnsafeRawBufferPointer, header: RTPHeader) {
        guard let block = header.extensionBlock else { return }
        walk(block, in: packet)
    }

    /// Notes the elements of `block`, the extension block of `packet`.
    @inline(__always)
    mutating func walk(_ block: RTPHeaderExtensionBlock, in packet: UnsafeRawBufferPointer) {
        if block.form == .oneByte {
            walkOneByteElements(block, in: packet)
            return
        }
        for element in RTPHeaderExtensionElements(block: block, in: packet) { note(element.id, element.range) }
    }

    /// The one-byte form (RFC 8285 §4.2), what browsers send: the same elements, in the same
    /// order, as `RTPHeaderExtensionElements` yields (ID 0 is padding, ID 15 stops, an element
    /// running past the block ends the walk), without the iterator's per-element form switch.
    private mutating func walkOneByteElements(_ block: RTPHeaderExtensionBlock, in packet: UnsafeRawBufferPointer) {
        var offset = block.range.lowerBound
        let end = Swift.min(block.range.upperBound, packet.count)
        while offset < end {
            let byte = packet[offset]
            let id = byte >> 4
            if id == 0 {
                offset += 1
                continue
            }
            if id == 15 { return }
            let start = offset + 1
            let stop = start + Int(byte & 0x0F) + 1
            guard stop <= end else { return }
            note(id, start..<stop)
            offset = stop
        }
    }

    /// Keeps the first element of each id the receive path reads.
    @inline(__always)
    private mutating func note(_ id: UInt8, _ range: Range<Int>) {
        typealias ID = RouterCapabilities.HeaderExtensionID
        switch id {
        case ID.absSendTime: if absSendTime == nil { absSendTime = range }
        case ID.transportWideCC: if transportWideCC == nil { transportWideCC = range }
        case ID.audioLevel: if audioLevel == nil { audioLevel = range }
        default: break
        }
    }
}
