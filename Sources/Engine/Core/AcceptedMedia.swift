/// A media packet the engine accepted from a producer: an RTP packet whose SSRC (or rid) and
/// payload type belong to one of the producer's encodings, passed to `Engine.mediaObserver`
/// before it is forwarded. A packet that came as RTX (RFC 4588) is given unwrapped: the
/// original SSRC, sequence number and payload type, as the publisher first sent it.
///
/// `bytes` are valid only during the observer call (copy what you keep).
public struct AcceptedMedia {
    public var producer: ProducerID
    /// The transport the packet arrived on (the publisher's send transport).
    public var transport: TransportID
    /// Index of the encoding in the producer's `encodings` (0 unless simulcast).
    public var encodingIndex: Int
    /// Recovered from an RTX retransmission.
    public var isRetransmission: Bool
    /// The whole RTP packet (header, extensions, payload).
    public var bytes: UnsafeRawBufferPointer

    public init(producer: ProducerID, transport: TransportID, encodingIndex: Int, isRetransmission: Bool, bytes: UnsafeRawBufferPointer) {
        self.producer = producer
        self.transport = transport
        self.encodingIndex = encodingIndex
        self.isRetransmission = isRetransmission
        self.bytes = bytes
    }
}
