import CVPX

/// The libvpx encoder plumbing `VP8Encoder` and `VP9Encoder` share: WebRTC's real-time rate
/// control settings, the `vpx_codec_ctx_t` (created in `init`, destroyed in `deinit`), checked
/// control calls, and one picture in, compressed frames out.
///
/// Not `Sendable`: one encoder is used from one task at a time.
final class VPXEncoderContext {
    let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    private var image = vpx_image_t()
    /// Picture size the encoder was configured for.
    let width: Int
    let height: Int

    /// One compressed frame as libvpx returned it (a VP9 SVC superframe holds every spatial layer).
    struct Output {
        var bytes: [UInt8]
        var isKeyFrame: Bool
    }

    /// libvpx's defaults for `interface`, set up as libwebrtc does for real-time video: one
    /// thread, no look-ahead, one pass, CBR at `targetBitrate` (bits per second), no frame
    /// dropping or resizing, quantizer 2...`maxQuantizer`, a 0.5/0.6/1 s buffer, key frames only
    /// when asked, timestamps in the 90 kHz RTP clock.
    static func realTimeConfiguration(_ interface: OpaquePointer!, width: Int, height: Int,
                                      targetBitrate: Int, maxQuantizer: UInt32) throws(CodecError) -> vpx_codec_enc_cfg_t {
        var cfg = vpx_codec_enc_cfg_t()
        let defaults = vpx_codec_enc_config_default(interface, &cfg, 0)
        guard defaults == VPX_CODEC_OK else { throw CodecError.vpx("vpx_codec_enc_config_default", defaults) }
        cfg.g_w = UInt32(width)
        cfg.g_h = UInt32(height)
        cfg.g_timebase = vpx_rational(num: 1, den: 90_000)
        cfg.g_threads = 1
        cfg.g_lag_in_frames = 0
        cfg.g_pass = VPX_RC_ONE_PASS
        cfg.rc_end_usage = VPX_CBR
        cfg.rc_target_bitrate = UInt32(targetBitrate / 1000)
        cfg.rc_dropframe_thresh = 0
        cfg.rc_resize_allowed = 0
        cfg.rc_min_quantizer = 2
        cfg.rc_max_quantizer = maxQuantizer
        cfg.rc_undershoot_pct = 100
        cfg.rc_overshoot_pct = 15
        cfg.rc_buf_initial_sz = 500
        cfg.rc_buf_optimal_sz = 600
        cfg.rc_buf_sz = 1000
        cfg.kf_mode = VPX_KF_DISABLED
        return cfg
    }

    /// Creates the encoder for `interface` with `configuration`.
    init(_ interface: OpaquePointer!, configuration: vpx_codec_enc_cfg_t) throws(CodecError) {
        width = Int(configuration.g_w)
        height = Int(configuration.g_h)
        context = .allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        var cfg = configuration
        let result = sfulab_vpx_codec_enc_init(context, interface, &cfg, 0)
        guard result == VPX_CODEC_OK else {
            let error = CodecError.vpx("vpx_codec_enc_init", result, context: context)
            context.deallocate()
            throw error
        }
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Throws the libvpx error of a failed control call `name`.
    func control(_ name: String, _ result: vpx_codec_err_t) throws(CodecError) {
        if result != VPX_CODEC_OK { throw CodecError.vpx(name, result, context: context) }
    }

    /// Encodes one I420 picture of the configured size shown at `timestamp` (90 kHz) for one
    /// frame interval and returns the compressed frames libvpx produced for it.
    func encode(_ frame: VideoFrame, timestamp: UInt32, frameRate: Int, flags: vpx_enc_frame_flags_t) throws(CodecError) -> [Output] {
        guard frame.width == width, frame.height == height else {
            throw CodecError.invalid("vpx_codec_encode", "frame is \(frame.width)x\(frame.height), encoder is \(width)x\(height)")
        }
        var planes = frame.planes
        let duration = UInt(90_000 / frameRate)
        let result: vpx_codec_err_t = planes.withUnsafeMutableBufferPointer { buffer in
            vpx_img_wrap(&image, VPX_IMG_FMT_I420, UInt32(frame.width), UInt32(frame.height), 1, buffer.baseAddress)
            return vpx_codec_encode(context, &image, vpx_codec_pts_t(timestamp), duration, flags, UInt(VPX_DL_REALTIME))
        }
        guard result == VPX_CODEC_OK else { throw CodecError.vpx("vpx_codec_encode", result, context: context) }
        var output: [Output] = []
        var iterator: vpx_codec_iter_t? = nil
        while let packet = vpx_codec_get_cx_data(context, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let encoded = packet.pointee.data.frame
            output.append(Output(bytes: [UInt8](UnsafeRawBufferPointer(start: encoded.buf, count: encoded.sz)),
                                 isKeyFrame: (encoded.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY)) != 0))
        }
        return output
    }
}
