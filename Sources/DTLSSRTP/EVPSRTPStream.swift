/// Per-SSRC state of one direction of the OpenSSL SRTP backend, created on a new SSRC's first
/// packet (outbound) or first authenticated packet (inbound), as libsrtp2 clones its
/// `ssrc_any_*` template stream.
final class EVPSRTPStream {
    /// RTP indices: ROC estimation and replay protection (libsrtp2's `srtp_rdbx_t`).
    let rtp: SRTPReplayWindow
    /// Inbound SRTCP replay protection: 128 packets, window starting at index 0 (libsrtp2's `srtp_rdb_t`).
    let rtcp: SRTPReplayWindow
    /// Outbound: the last SRTCP index used (the first packet gets 1, as in libsrtp2).
    var rtcpIndex: UInt32 = 0

    init(replayWindow: Int) {
        rtp = SRTPReplayWindow(size: replayWindow)
        rtcp = Self.freshRTCPWindow()
    }

    /// Packets in the SRTCP replay window (libsrtp2's `rdb_bits_in_bitmask`).
    static let rtcpWindowSize = 128

    /// An SRTCP window that has seen nothing and accepts any index from 0 on.
    static func freshRTCPWindow() -> SRTPReplayWindow {
        SRTPReplayWindow(size: rtcpWindowSize, highest: UInt64(rtcpWindowSize - 1))
    }
}
