import CVPX

/// A libvpx decoder for VP8 or VP9. Owns one `vpx_codec_ctx_t`; `deinit` destroys it.
public final class VPXDecoder {
    /// Which codec to decode.
    public enum Codec: String, Sendable, Hashable, Codable { case vp8 = "VP8", vp9 = "VP9" }

    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    /// Size of the last decoded picture.
    public private(set) var lastSize: (width: Int, height: Int) = (0, 0)

    /// Creates a single-threaded decoder.
    public init(codec: Codec) throws(CodecError) {
        context = .allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        var cfg = vpx_codec_dec_cfg_t(threads: 1, w: 0, h: 0)
        let iface = codec == .vp8 ? vpx_codec_vp8_dx() : vpx_codec_vp9_dx()
        let result = sfulab_vpx_codec_dec_init(context, iface, &cfg, 0)
        guard result == VPX_CODEC_OK else {
            context.deallocate()
            throw CodecError.vpx("vpx_codec_dec_init", result)
        }
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Decodes one compressed frame and returns how many pictures it produced (1 normally).
    @discardableResult
    public func decode(_ data: [UInt8]) throws(CodecError) -> Int {
        let result = data.withUnsafeBufferPointer { buffer in
            vpx_codec_decode(context, buffer.baseAddress, UInt32(buffer.count), nil, 0)
        }
        guard result == VPX_CODEC_OK else { throw CodecError.vpx("vpx_codec_decode", result, context: context) }
        var iterator: vpx_codec_iter_t? = nil
        var pictures = 0
        while let image = vpx_codec_get_frame(context, &iterator) {
            lastSize = (Int(image.pointee.d_w), Int(image.pointee.d_h))
            pictures += 1
        }
        return pictures
    }
}
