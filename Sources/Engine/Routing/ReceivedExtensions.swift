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

    /// No extensions.
    init() {}

    /// Walks the extension block of `packet` (already parsed as `header`) once.
    init(packet: UnsafeRawBufferPointer, header: RTPHeader) {
        guard let block = header.extensionBlock else { return }
        typealias ID = RouterCapabilities.HeaderExtensionID
        for element in RTPHeaderExtensionElements(block: block, in: packet) {
            switch element.id {
            case ID.absSendTime: if absSendTime == nil { absSendTime = element.range }
            case ID.transportWideCC: if transportWideCC == nil { transportWideCC = element.range }
            case ID.audioLevel: if audioLevel == nil { audioLevel = element.range }
            default: break
            }
        }
    }
}
