import CSRTP

/// SRTP and SRTCP protection (RFC 3711, RFC 7714) for one DTLS-SRTP association: an outbound
/// context keyed with this endpoint's half of the exported keys for any SSRC it sends and an
/// inbound one with the peer's half for any SSRC it receives, on either backend (`SRTPBackend`):
/// libsrtp2 (`ssrc_any_outbound` / `ssrc_any_inbound` sessions) or the OpenSSL EVP implementation
/// in this module (`EVPSRTPContext`). Both produce the same bytes and the same errors.
///
/// Everything works in place on a caller-provided buffer; this wrapper allocates nothing per
/// packet. libsrtp2 clones its template stream on a new SSRC's first packet, and Debian's
/// libsrtp2, built on NSS, allocates inside every call; the OpenSSL backend allocates only on a
/// new SSRC's first packet (docs/dtls-srtp.md). Errors are returned as `SRTPError` and counted in
/// `counters`. Not thread-safe: confine to one event loop.
public final class SRTPSession {
    /// The SRTP profile in use.
    public let profile: SRTPProfile
    /// The library doing the work.
    public let backend: SRTPBackend
    /// What was protected and unprotected, and what failed.
    public private(set) var counters = SRTPCounters()

    /// The two directions on one backend.
    private enum Contexts {
        case libsrtp2(outbound: srtp_t, inbound: srtp_t)
        case openssl(outbound: EVPSRTPContext, inbound: EVPSRTPContext)
    }

    private let contexts: Contexts

    /// libsrtp2's version string, e.g. "libsrtp2 2.5.0".
    public static var libraryVersion: String { SRTPLibrary.version }

    /// Creates both contexts from DTLS-exported keys.
    /// - Parameters:
    ///   - replayWindow: packets in the inbound replay window (64...32767, rounded up to a
    ///     multiple of 32; mediasoup uses 1024).
    ///   - allowRepeatTransmission: let the outbound side protect the same sequence number
    ///     twice (retransmissions of the original packet without RTX), as mediasoup does.
    ///   - backend: libsrtp2 (the default) or the OpenSSL EVP implementation.
    public init(keys: SRTPKeyingMaterial, replayWindow: Int = 1024, allowRepeatTransmission: Bool = true,
                backend: SRTPBackend = .libsrtp2) throws(SRTPError) {
        profile = keys.profile
        self.backend = backend
        let window = Self.clampedReplayWindow(replayWindow)
        switch backend {
        case .libsrtp2:
            let outbound = try Self.makeContext(profile: keys.profile, keyAndSalt: keys.localKeyAndSalt, direction: ssrc_any_outbound,
                                                replayWindow: window, allowRepeatTransmission: allowRepeatTransmission)
            do {
                let inbound = try Self.makeContext(profile: keys.profile, keyAndSalt: keys.remoteKeyAndSalt, direction: ssrc_any_inbound,
                                                   replayWindow: window, allowRepeatTransmission: false)
                contexts = .libsrtp2(outbound: outbound, inbound: inbound)
            } catch {
                srtp_dealloc(outbound)
                throw error
            }
        case .openssl:
            contexts = .openssl(
                outbound: try EVPSRTPContext(profile: keys.profile, masterKeyAndSalt: keys.localKeyAndSalt, direction: .outbound,
                                             replayWindow: window, allowRepeatTransmission: allowRepeatTransmission),
                inbound: try EVPSRTPContext(profile: keys.profile, masterKeyAndSalt: keys.remoteKeyAndSalt, direction: .inbound,
                                            replayWindow: window, allowRepeatTransmission: false))
        }
    }

    deinit {
        if case .libsrtp2(let outbound, let inbound) = contexts {
            srtp_dealloc(outbound)
            srtp_dealloc(inbound)
        }
    }

    /// The replay window both backends use: libsrtp2 accepts 64...32767 packets.
    static func clampedReplayWindow(_ packets: Int) -> Int { min(max(packets, 64), 32_767) }

    /// Protects the RTP packet in `buffer[0..<length]` in place and returns the SRTP length
    /// (`length + profile.rtpOverhead`); `buffer` needs that capacity.
    public func protectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(buffer, length: length, minimum: 12, overhead: profile.rtpOverhead, outbound: true,
                             libsrtp2: srtp_protect) { context, packet, length throws(SRTPError) in
            try context.protectRTP(packet, length: length)
        }
        counters.rtpProtected += 1
        return result
    }

    /// Verifies and decrypts the SRTP packet in `buffer[0..<length]` in place; returns the RTP length.
    public func unprotectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(buffer, length: length, minimum: 12 + profile.rtpOverhead, overhead: 0, outbound: false,
                             libsrtp2: srtp_unprotect) { context, packet, length throws(SRTPError) in
            try context.unprotectRTP(packet, length: length)
        }
        counters.rtpUnprotected += 1
        return result
    }

    /// Protects the RTCP compound packet in `buffer[0..<length]` in place and returns the SRTCP
    /// length (`length + profile.rtcpOverhead`); `buffer` needs that capacity.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(buffer, length: length, minimum: 8, overhead: profile.rtcpOverhead, outbound: true,
                             libsrtp2: srtp_protect_rtcp) { context, packet, length throws(SRTPError) in
            try context.protectRTCP(packet, length: length)
        }
        counters.rtcpProtected += 1
        return result
    }

    /// Verifies and decrypts the SRTCP packet in `buffer[0..<length]` in place; returns the RTCP length.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let result = try run(buffer, length: length, minimum: 8 + profile.rtcpOverhead, overhead: 0, outbound: false,
                             libsrtp2: srtp_unprotect_rtcp) { context, packet, length throws(SRTPError) in
            try context.unprotectRTCP(packet, length: length)
        }
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

    /// Runs one operation after the length checks on the outbound or inbound context of either
    /// backend (`libsrtp2` or `openssl`), counting errors the same way for both.
    @inline(__always)
    private func run(_ buffer: UnsafeMutableRawBufferPointer, length: Int, minimum: Int, overhead: Int, outbound isOutbound: Bool,
                     libsrtp2 call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t,
                     openssl operation: (EVPSRTPContext, UnsafeMutablePointer<UInt8>, Int) throws(SRTPError) -> Int)
        throws(SRTPError) -> Int {
        guard length >= minimum, length <= buffer.count else {
            counters.badLength += 1
            throw .tooShort(length: length)
        }
        guard buffer.count >= length + overhead, length + overhead <= Int(Int32.max) else {
            counters.badLength += 1
            throw .bufferTooSmall(needed: length + overhead, capacity: buffer.count)
        }
        do {
            switch contexts {
            case .libsrtp2(let outbound, let inbound):
                return try Self.libsrtp2(call, context: isOutbound ? outbound : inbound, buffer, length: length)
            case .openssl(let outbound, let inbound):
                return try operation(isOutbound ? outbound : inbound, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
            }
        } catch {
            count(error)
            throw error
        }
    }

    /// Counts a failed operation under the counter that names its cause.
    private func count(_ error: SRTPError) {
        switch error {
        case .authenticationFailed: counters.authenticationFailures += 1
        case .replayed: counters.replays += 1
        case .tooShort, .bufferTooSmall, .malformed: counters.badLength += 1
        case .library: counters.otherErrors += 1
        }
    }

    /// Calls a libsrtp2 (un)protect function, mapping its status to `SRTPError`.
    private static func libsrtp2(_ call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t,
                                 context: srtp_t, _ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        var inOut = Int32(length)
        let status = call(context, buffer.baseAddress, &inOut)
        switch status {
        case srtp_err_status_ok: return Int(inOut)
        case srtp_err_status_auth_fail: throw .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: throw .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err: throw .malformed
        default: throw .library(status: Int32(status.rawValue))
        }
    }

    static func makeContext(profile: SRTPProfile, keyAndSalt: [UInt8], direction: srtp_ssrc_type_t,
                                    replayWindow: Int, allowRepeatTransmission: Bool) throws(SRTPError) -> srtp_t {
        guard SRTPLibrary.isReady else { throw .library(status: Int32(SRTPLibrary.initialization.rawValue)) }
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
        policy.window_size = UInt(clampedReplayWindow(replayWindow))
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
