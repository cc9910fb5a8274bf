extension RTPPacketView {
    @inlinable
    init(unchecked bytes: UnsafeRawBufferPointer, header: RTPHeader) {
        self.bytes = bytes
        self.header = header
    }
}
