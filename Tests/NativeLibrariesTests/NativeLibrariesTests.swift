import CSRTP
import COpenSSL
import COpus
import CVPX
import Testing

/// The system-library targets link and answer: each C library reports the version Debian ships.
@Suite struct NativeLibrariesTests {
    @Test func libsrtp2Initialises() {
        // libsrtp2 2.5's srtp_init is not idempotent: when DTLSSRTP (whose tests share this
        // process) initialised it first, a second call answers bad_param and the library works on.
        let status = srtp_init()
        #expect(status == srtp_err_status_ok || status == srtp_err_status_bad_param)
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        policy.ssrc.type = ssrc_any_outbound
        var key = [UInt8](repeating: 7, count: 30)
        var session: srtp_t?
        let created = key.withUnsafeMutableBufferPointer { pointer -> srtp_err_status_t in
            policy.key = pointer.baseAddress
            return srtp_create(&session, &policy)
        }
        #expect(created == srtp_err_status_ok)
        if let session { srtp_dealloc(session) }
        let version = String(cString: srtp_get_version_string())
        #expect(version.hasPrefix("libsrtp2"))
    }

    @Test func openSSLHasDTLS() {
        let context = SSL_CTX_new(DTLS_method())
        #expect(context != nil)
        #expect(sfulab_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1)
        SSL_CTX_free(context)
    }

    @Test func opusEncoderStarts() {
        var error: Int32 = 0
        let encoder = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error)
        #expect(error == OPUS_OK)
        #expect(sfulab_opus_set_bitrate(encoder, 32_000) == OPUS_OK)
        opus_encoder_destroy(encoder)
    }

    @Test func vp8EncoderStarts() {
        var config = vpx_codec_enc_cfg_t()
        #expect(vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK)
        config.g_w = 320
        config.g_h = 180
        var codec = vpx_codec_ctx_t()
        #expect(sfulab_vpx_codec_enc_init(&codec, vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK)
        vpx_codec_destroy(&codec)
    }
}
