import NIOCore

/// RTP/RTCP over a TCP connection as RFC 4571 §2 frames it: each packet preceded by its length as
/// a 16-bit big-endian integer. Shared by the engine server's TCP transports and by clients that
/// connect to them (the live load generator, tests).
///
/// The decoder splits the byte stream back into packets. A zero length or one over
/// `maxFrameLength` means the peer does not speak RFC 4571 (or sent garbage): decoding fails and
/// the pipeline closes the connection.
public struct RFC4571FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// Why a stream was refused.
    public enum FramingError: Error, Equatable {
        case zeroLength
        case tooLong(Int)
    }

    /// Longest packet accepted (the engine stores packets up to 1536 bytes).
    public let maxFrameLength: Int

    public init(maxFrameLength: Int = 1_536) { self.maxFrameLength = maxFrameLength }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard length > 0 else { throw FramingError.zeroLength }
        guard Int(length) <= maxFrameLength else { throw FramingError.tooLong(Int(length)) }
        guard buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial frame at the end of the stream is dropped with the connection.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// `packet` with its RFC 4571 length prefix; nil when it is longer than the 65,535 bytes the
    /// prefix can say.
    public static func frame(_ packet: some Collection<UInt8>, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let length = UInt16(exactly: packet.count) else { return nil }
        var buffer = allocator.buffer(capacity: 2 + packet.count)
        buffer.writeInteger(length)
        buffer.writeBytes(packet)
        return buffer
    }
}
