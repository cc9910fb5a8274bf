import NIOCore

/// RFC 4571 framing of RTP/RTCP over a TCP connection: each packet is preceded by its length as
/// a 16-bit big-endian integer (RFC 4571 §2). The decoder turns the byte stream back into packets;
/// `frame` writes one.
struct RFC4571FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// `packet` with its RFC 4571 length prefix; nil when it is longer than the 65,535 bytes
    /// the prefix can say.
    static func frame(_ packet: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let length = UInt16(exactly: packet.count) else { return nil }
        var buffer = allocator.buffer(capacity: 2 + packet.count)
        buffer.writeInteger(length)
        buffer.writeBytes(packet)
        return buffer
    }
}
