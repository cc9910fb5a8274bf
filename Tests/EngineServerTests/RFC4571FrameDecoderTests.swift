import EngineClient
@testable import EngineServer
import NIOCore
import NIOEmbedded
import Testing

/// RFC 4571 framing: whole frames out of any split of the stream; zero and oversize lengths refused.
@Suite struct RFC4571FrameDecoderTests {
    func channel(max: Int = 1_536) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RFC4571FrameDecoder(maxFrameLength: max)))
        return channel
    }

    @Test func framesSplitAnywhereComeOutWhole() throws {
        let frames: [[UInt8]] = [[1, 2, 3], [UInt8](repeating: 7, count: 300), [9]]
        var stream: [UInt8] = []
        for frame in frames { stream += [UInt8(frame.count >> 8), UInt8(frame.count & 0xFF)] + frame }
        for chunkSize in [1, 2, 3, 5, 64, stream.count] {
            let channel = try channel()
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunkSize, stream.count)
                try channel.writeInbound(channel.allocator.buffer(bytes: stream[offset..<end]))
                offset = end
            }
            var out: [[UInt8]] = []
            while var frame = try channel.readInbound(as: ByteBuffer.self) { out.append(frame.readBytes(length: frame.readableBytes)!) }
            #expect(out == frames, "chunk size \(chunkSize)")
            _ = try channel.finish()
        }
    }

    @Test func zeroAndOversizeLengthsAreErrors() throws {
        let zero = try channel()
        #expect(throws: RFC4571FrameDecoder.FramingError.zeroLength) {
            try zero.writeInbound(zero.allocator.buffer(bytes: [0, 0, 1]))
        }
        let oversize = try channel(max: 100)
        #expect(throws: RFC4571FrameDecoder.FramingError.tooLong(101)) {
            try oversize.writeInbound(oversize.allocator.buffer(bytes: [0, 101]))
        }
    }
}
