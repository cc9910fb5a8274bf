import CVPX

/// A libvpx decoder for VP8 or VP9. Owns one `vpx_codec_ctx_t`; `deinit` destroys it.
public final class VPXDecoder {
    /// Which codec to decode.
    public enum Codec: String, Sendable, Hashable, Codable { case vp8 = "VP8", vp9 = "VP9" }

    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    /// Size of the last decoded picture.
    public private(set) var lastSize: (width: Int, height: Int) = (0, 0)
    /// With `computesDigest`, a 64-bit FNV-1a hash of the last picture's visible Y, U and V
    /// samples (two decodes giving the same pixels give the same digest).
    public private(set) var lastDigest: UInt64?
    /// Whether `decode` hashes each picture into `lastDigest` (off by default: it costs a pass over the pixels).
    public var computesDigest = false

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
            if computesDigest { lastDigest = Self.digest(image.pointee) }
            pictures += 1
        }
        return pictures
    }

    private static func digest(_ image: vpx_image_t) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let width = Int(image.d_w), height = Int(image.d_h)
        let chromaWidth = (width + Int(image.x_chroma_shift)) >> image.x_chroma_shift
        let chromaHeight = (height + Int(image.y_chroma_shift)) >> image.y_chroma_shift
        let planes = [(image.planes.0, image.stride.0, width, height), (image.planes.1, image.stride.1, chromaWidth, chromaHeight),
                      (image.planes.2, image.stride.2, chromaWidth, chromaHeight)]
        for (plane, stride, planeWidth, planeHeight) in planes {
            guard let plane else { continue }
            for row in 0..<planeHeight {
                for column in 0..<planeWidth {
                    hash = (hash ^ UInt64(plane[row * Int(stride) + column])) &* 0x100_0000_01B3
                }
            }
        }
        return hash
    }
}
