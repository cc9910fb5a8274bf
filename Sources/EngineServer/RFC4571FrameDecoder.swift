import NIOCore

/// Splits a TCP byte stream into RTP/RTCP packets framed as RFC 4571 §2 says: a 16-bit
/// big-endian length, then that many bytes. A zero length or one over `maxFrameLength` means the
/// peer does not speak RFC 4571 (or sent garbage): decoding fails and the connection is closed.
struct RFC4571FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Why a stream was refused.
    enum FramingError: Error, Equatable {
        case zeroLength
        case tooLong(Int)
    }

    /// Longest packet accepted (the engine stores packets up to 1536 bytes).
    let maxFrameLength: Int

    init(maxFrameLength: Int = 1_536) { self.maxFrameLength = maxFrameLength }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard length > 0 else { throw FramingError.zeroLength }
        guard Int(length) <= maxFrameLength else { throw FramingError.tooLong(Int(length)) }
        guard buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial frame at the end of the stream is dropped with the connection.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
