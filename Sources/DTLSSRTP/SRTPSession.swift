import CSRTP

/// SRTP and SRTCP protection (RFC 3711, RFC 7714) for one DTLS-SRTP association on libsrtp2:
/// an outbound context keyed with this endpoint's half of the exported keys for any SSRC it
/// sends (`ssrc_any_outbound`) and an inbound one with the peer's half for any SSRC it receives
/// (`ssrc_any_inbound`).
///
/// Everything works in place on a caller-provided buffer; this wrapper allocates nothing per
/// packet (libsrtp2 clones its template stream on a new SSRC's first packet, and Debian's
/// libsrtp2, built on NSS, allocates inside every call: docs/dtls-srtp.md). Errors are returned
/// as `SRTPError` and counted in `counters`. Not thread-safe: confine to one event loop.
public final class SRTPSession {
    /// The SRTP profile in use.
    public let profile: SRTPProfile
    /// What was protected and unprotected, and what failed.
    public private(set) var counters = SRTPCounters()

    private let outbound: srtp_t
    private let inbound: srtp_t

    /// libsrtp2's version string, e.g. "libsrtp2 2.5.0".
    public static var libraryVersion: String { SRTPLibrary.version }

    /// Creates both contexts from DTLS-exported keys.
    /// - Parameters:
    ///   - replayWindow: packets in the inbound replay window (64...32768; mediasoup uses 1024).
    ///   - allowRepeatTransmission: let the outbound side protect the same sequence number
    ///     twice (retransmissions of the original packet without RTX), as mediasoup does.
    public init(keys: SRTPKeyingMaterial, replayWindow: Int = 1024, allowRepeatTransmission: Bool = true) throws(SRTPError) {
        guard SRTPLibrary.isReady else { throw .library(status: Int32(SRTPLibrary.initialization.rawValue)) }
        profile = keys.profile
        outbound = try Self.makeContext(profile: keys.profile, keyAndSalt: keys.localKeyAndSalt, direction: ssrc_any_outbound,
                                        replayWindow: replayWindow, allowRepeatTransmission: allowRepeatTransmission)
        do {
            inbound = try Self.makeContext(profile: keys.profile, keyAndSalt: keys.remoteKeyAndSalt, direction: ssrc_any_inbound,
                                           replayWindow: replayWindow, allowRepeatTransmission: false)
        } catch {
            srtp_dealloc(outbound)
            throw error
        }
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    /// Protects the RTP packet in `buffer[0..<length]` in place and returns the SRTP length
    /// (`length + profile.rtpOverhead`); `buffer` needs that capacity.
    public func protectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(srtp_protect, context: outbound, buffer, length: length, minimum: 12, overhead: profile.rtpOverhead)
        counters.rtpProtected += 1
        return result
    }

    /// Verifies and decrypts the SRTP packet in `buffer[0..<length]` in place; returns the RTP length.
    public func unprotectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(srtp_unprotect, context: inbound, buffer, length: length, minimum: 12 + profile.rtpOverhead, overhead: 0)
        counters.rtpUnprotected += 1
        return result
    }

    /// Protects the RTCP compound packet in `buffer[0..<length]` in place and returns the SRTCP
    /// length (`length + profile.rtcpOverhead`); `buffer` needs that capacity.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(srtp_protect_rtcp, context: outbound, buffer, length: length, minimum: 8, overhead: profile.rtcpOverhead)
        counters.rtcpProtected += 1
        return result
    }

    /// Verifies and decrypts the SRTCP packet in `buffer[0..<length]` in place; returns the RTCP length.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(srtp_unprotect_rtcp, context: inbound, buffer, length: length, minimum: 8 + profile.rtcpOverhead, overhead: 0)
        counters.rtcpUnprotected += 1
        return result
    }

    /// Convenience for arrays: protects `packet` (grown for the trailer) in place.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try inPlace(&packet, growth: profile.rtpOverhead, protectRTP)
    }

    /// Convenience for arrays: unprotects `packet` in place (shrunk to the RTP length).
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try inPlace(&packet, growth: 0, unprotectRTP)
    }

    /// Convenience for arrays: protects `packet` (grown for the trailer) in place.
    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try inPlace(&packet, growth: profile.rtcpOverhead, protectRTCP)
    }

    /// Convenience for arrays: unprotects `packet` in place (shrunk to the RTCP length).
    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try inPlace(&packet, growth: 0, unprotectRTCP)
    }

    // MARK: - Internals

    /// Runs a buffer operation on an array grown by `growth` bytes, then trims it to the result
    /// (or back to its original length on error).
    private func inPlace(_ packet: inout [UInt8], growth: Int,
                         _ operation: (UnsafeMutableRawBufferPointer, Int) throws(SRTPError) -> Int) throws(SRTPError) {
        let original = packet.count
        packet.append(contentsOf: repeatElement(0, count: growth))
        let result = packet.withUnsafeMutableBytes { buffer in
            Result { () throws(SRTPError) in try operation(buffer, original) }
        }
        switch result {
        case .success(let length): packet.removeLast(packet.count - length)
        case .failure(let error):
            packet.removeLast(packet.count - original)
            throw error
        }
    }

    /// Calls a libsrtp2 (un)protect function after the length checks, mapping and counting errors.
    private func run(_ call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t,
                     context: srtp_t, _ buffer: UnsafeMutableRawBufferPointer, length: Int,
                     minimum: Int, overhead: Int) throws(SRTPError) -> Int {
        guard length >= minimum, length <= buffer.count else {
            counters.badLength += 1
            throw .tooShort(length: length)
        }
        guard buffer.count >= length + overhead, length + overhead <= Int(Int32.max) else {
            counters.badLength += 1
            throw .bufferTooSmall(needed: length + overhead, capacity: buffer.count)
        }
        var inOut = Int32(length)
        let status = call(context, buffer.baseAddress, &inOut)
        switch status {
        case srtp_err_status_ok:
            return Int(inOut)
        case srtp_err_status_auth_fail:
            counters.authenticationFailures += 1
            throw .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old:
            counters.replays += 1
            throw .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err:
            counters.badLength += 1
            throw .malformed
        default:
            counters.otherErrors += 1
            throw .library(status: Int32(status.rawValue))
        }
    }

    static func makeContext(profile: SRTPProfile, keyAndSalt: [UInt8], direction: srtp_ssrc_type_t,
                                    replayWindow: Int, allowRepeatTransmission: Bool) throws(SRTPError) -> srtp_t {
        var policy = srtp_policy_t()
        switch profile {
        case .aeadAES256GCM:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp)
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aesCM128HMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aesCM128HMACSHA1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)  // SRTCP keeps the 80-bit tag (RFC 5764 §4.1.2)
        }
        policy.ssrc.type = direction
        policy.window_size = UInt(min(max(replayWindow, 64), 32_768))
        policy.allow_repeat_tx = allowRepeatTransmission ? 1 : 0
        var key = keyAndSalt
        var session: srtp_t?
        // libsrtp2 copies the key during srtp_create; the pointer need only live for the call.
        let status = key.withUnsafeMutableBufferPointer { pointer -> srtp_err_status_t in
            policy.key = pointer.baseAddress
            return srtp_create(&session, &policy)
        }
        key.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        guard status == srtp_err_status_ok, let session else { throw .library(status: Int32(status.rawValue)) }
        return session
    }
}
