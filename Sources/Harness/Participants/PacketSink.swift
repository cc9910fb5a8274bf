/// Where a synthetic sender puts an outgoing packet: given the packet's length and a writer that
/// must set every one of that many bytes, the sink lets the writer fill its own storage (the
/// participant's `UplinkOutbox`: no array per packet) and returns the written bytes, valid until
/// the sink's next packet.
typealias PacketSink = (_ count: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) -> UnsafeRawBufferPointer
