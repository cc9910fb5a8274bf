import COpenSSL

/// One direction of an SRTP/SRTCP association on OpenSSL's libcrypto: RFC 3711 AES-CM +
/// HMAC-SHA1 (80- or 32-bit tag) and RFC 7714 AES-GCM, for any SSRC (per-SSRC state created on
/// a new SSRC's first packet, like libsrtp2's `ssrc_any_outbound` / `ssrc_any_inbound`).
///
/// Cipher contexts and MAC states are made once here; protecting or unprotecting a packet of a
/// known SSRC allocates nothing. Works in place; the caller (`SRTPSession`) has checked the
/// packet's minimum length and the buffer's capacity. Byte layouts, IVs, index estimation,
/// replay windows and errors follow libsrtp2 so that the two backends interoperate and agree
/// (docs/dtls-srtp.md, "OpenSSL EVP backend"). Not thread-safe.
final class EVPSRTPContext {
    /// Protects (outbound) or unprotects (inbound).
    enum Direction: Sendable { case outbound, inbound }

    let profile: SRTPProfile
    let direction: Direction
    private let replayWindow: Int
    private let allowRepeatTransmission: Bool
    private let rtpCipher: EVPCipher
    private let rtcpCipher: EVPCipher
    private let rtpAuthentication: HMACSHA1?
    private let rtcpAuthentication: HMACSHA1?
    /// Session salts: 14 bytes (AES-CM) or 12 (AEAD).
    private let rtpSalt: UnsafeMutablePointer<UInt8>
    private let rtcpSalt: UnsafeMutablePointer<UInt8>
    private let saltLength: Int
    /// 16 bytes for the IV of the packet being processed.
    private let iv = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
    private let rtpTagLength: Int
    private let rtcpTagLength: Int
    private var streams: [UInt32: EVPSRTPStream] = [:]
    private var lastSSRC: UInt32 = 0
    private var lastStream: EVPSRTPStream?

    /// A context with session keys derived from `masterKeyAndSalt` (RFC 3711 §4.3).
    /// - Parameters:
    ///   - replayWindow: RTP replay window in packets (rounded up to a multiple of 32).
    ///   - allowRepeatTransmission: outbound may protect an index twice (libsrtp2's `allow_repeat_tx`).
    convenience init(profile: SRTPProfile, masterKeyAndSalt: [UInt8], direction: Direction,
                     replayWindow: Int, allowRepeatTransmission: Bool) throws(SRTPError) {
        try self.init(profile: profile, sessionKeys: SRTPSessionKeys(profile: profile, masterKeyAndSalt: masterKeyAndSalt),
                      direction: direction, replayWindow: replayWindow, allowRepeatTransmission: allowRepeatTransmission)
    }

    /// A context with session keys given directly (test vectors).
    init(profile: SRTPProfile, sessionKeys keys: SRTPSessionKeys, direction: Direction,
         replayWindow: Int, allowRepeatTransmission: Bool) throws(SRTPError) {
        self.profile = profile
        self.direction = direction
        self.replayWindow = replayWindow
        self.allowRepeatTransmission = allowRepeatTransmission
        let name = switch profile {
        case .aeadAES256GCM: "AES-256-GCM"
        case .aeadAES128GCM: "AES-128-GCM"
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: "AES-128-CTR"
        }
        let encrypt = direction == .outbound || !profile.isAEAD  // CTR is its own inverse
        saltLength = profile.masterSaltLength
        guard keys.rtpSalt.count == saltLength, keys.rtcpSalt.count == saltLength else { throw .library(status: -30) }
        rtpCipher = try EVPCipher(name: name, key: keys.rtpKey, encrypt: encrypt)
        rtcpCipher = try EVPCipher(name: name, key: keys.rtcpKey, encrypt: encrypt)
        if profile.isAEAD {
            rtpAuthentication = nil
            rtcpAuthentication = nil
            rtpTagLength = 16
            rtcpTagLength = 16
        } else {
            rtpAuthentication = HMACSHA1(key: keys.rtpAuthenticationKey)
            rtcpAuthentication = HMACSHA1(key: keys.rtcpAuthenticationKey)
            rtpTagLength = profile.rtpOverhead
            rtcpTagLength = 10  // SRTCP keeps the 80-bit tag (RFC 5764 §4.1.2)
        }
        rtpSalt = .allocate(capacity: saltLength)
        rtpSalt.initialize(from: keys.rtpSalt, count: saltLength)
        rtcpSalt = .allocate(capacity: saltLength)
        rtcpSalt.initialize(from: keys.rtcpSalt, count: saltLength)
    }

    deinit {
        rtpSalt.update(repeating: 0, count: saltLength)
        rtcpSalt.update(repeating: 0, count: saltLength)
        rtpSalt.deallocate()
        rtcpSalt.deallocate()
        iv.deallocate()
    }

    // MARK: - SRTP

    /// Protects the RTP packet in `packet[0..<length]`; returns `length + tag`.
    func protectRTP(_ packet: UnsafeMutablePointer<UInt8>, length: Int) throws(SRTPError) -> Int {
        let header = try Self.rtpHeaderLength(packet, limit: length)
        let ssrc = Self.read32(packet + 8)
        let stream = self.stream(ssrc, create: true)!
        let (index, delta) = stream.rtp.estimate(sequence: Self.read16(packet + 2))
        switch stream.rtp.check(delta: delta) {
        case .fresh: stream.rtp.add(delta: delta)
        case .repeated: guard allowRepeatTransmission else { throw .replayed }
        case .tooOld: throw .replayed
        }
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        let tag = packet + length
        if profile.isAEAD {
            rtpAEADIV(ssrc: ssrc, roc: roc, sequence: UInt16(truncatingIfNeeded: index))
            guard rtpCipher.start(iv: iv), rtpCipher.authenticate(packet, count: header),
                  rtpCipher.apply(packet + header, count: length - header),
                  rtpCipher.finishSealing(tag: tag) else { throw .library(status: -31) }
        } else {
            counterModeIV(salt: rtpSalt, ssrc: ssrc, index: index)
            guard rtpCipher.start(iv: iv), rtpCipher.apply(packet + header, count: length - header) else { throw .library(status: -31) }
            rtpAuthentication!.tag(packet, count: length, suffix: roc, length: rtpTagLength, into: tag)
        }
        return length + rtpTagLength
    }

    /// Verifies and decrypts the SRTP packet in `packet[0..<length]`; returns the RTP length.
    func unprotectRTP(_ packet: UnsafeMutablePointer<UInt8>, length: Int) throws(SRTPError) -> Int {
        let body = length - rtpTagLength
        let header = try Self.rtpHeaderLength(packet, limit: body)
        let ssrc = Self.read32(packet + 8)
        let sequence = Self.read16(packet + 2)
        let known = stream(ssrc, create: false)
        // A new SSRC's window is empty and at index 0: every sequence number is fresh at ROC 0.
        var (index, delta) = (UInt64(sequence), Int(sequence))
        if let known {
            (index, delta) = known.rtp.estimate(sequence: sequence)
            guard known.rtp.check(delta: delta) == .fresh else { throw .replayed }
        }
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        let tag = packet + body
        if profile.isAEAD {
            rtpAEADIV(ssrc: ssrc, roc: roc, sequence: sequence)
            guard rtpCipher.start(iv: iv), rtpCipher.authenticate(packet, count: header),
                  rtpCipher.apply(packet + header, count: body - header) else { throw .library(status: -32) }
            guard rtpCipher.finishOpening(tag: tag) else { throw .authenticationFailed }
        } else {
            guard rtpAuthentication!.verify(packet, count: body, suffix: roc, length: rtpTagLength, received: tag) else {
                throw .authenticationFailed
            }
            counterModeIV(salt: rtpSalt, ssrc: ssrc, index: index)
            guard rtpCipher.start(iv: iv), rtpCipher.apply(packet + header, count: body - header) else { throw .library(status: -32) }
        }
        (known ?? stream(ssrc, create: true)!).rtp.add(delta: delta)
        return body
    }

    // MARK: - SRTCP

    /// Protects the RTCP compound packet in `packet[0..<length]` (E flag set: always encrypted);
    /// returns `length + 4 + tag`.
    func protectRTCP(_ packet: UnsafeMutablePointer<UInt8>, length: Int) throws(SRTPError) -> Int {
        let ssrc = Self.read32(packet + 4)
        let stream = self.stream(ssrc, create: true)!
        guard stream.rtcpIndex < 0x7FFF_FFFF else { throw .library(status: 15) }  // libsrtp2's key_expired
        stream.rtcpIndex += 1
        let trailerValue = 0x8000_0000 | stream.rtcpIndex
        if profile.isAEAD {
            // RFC 7714 §9: header | ciphertext | tag | E+index; AAD = header ‖ E+index (§9, §17).
            let tag = packet + length
            let trailer = tag + rtcpTagLength
            Self.write32(trailerValue, to: trailer)
            rtcpAEADIV(ssrc: ssrc, index: stream.rtcpIndex)
            guard rtcpCipher.start(iv: iv), rtcpCipher.authenticate(packet, count: 8), rtcpCipher.authenticate(trailer, count: 4),
                  rtcpCipher.apply(packet + 8, count: length - 8), rtcpCipher.finishSealing(tag: tag) else { throw .library(status: -33) }
        } else {
            // RFC 3711 §3.4: header | ciphertext | E+index | tag; the tag covers all before it.
            let trailer = packet + length
            counterModeIV(salt: rtcpSalt, ssrc: ssrc, index: UInt64(stream.rtcpIndex))
            guard rtcpCipher.start(iv: iv), rtcpCipher.apply(packet + 8, count: length - 8) else { throw .library(status: -33) }
            Self.write32(trailerValue, to: trailer)
            rtcpAuthentication!.tag(packet, count: length + 4, suffix: nil, length: rtcpTagLength, into: trailer + 4)
        }
        return length + 4 + rtcpTagLength
    }

    /// Verifies and decrypts (if its E flag is set) the SRTCP packet in `packet[0..<length]`;
    /// returns the RTCP length.
    func unprotectRTCP(_ packet: UnsafeMutablePointer<UInt8>, length: Int) throws(SRTPError) -> Int {
        let body = length - 4 - rtcpTagLength
        let ssrc = Self.read32(packet + 4)
        let trailer = profile.isAEAD ? packet + length - 4 : packet + body
        let trailerValue = Self.read32(trailer)
        let encrypted = trailerValue & 0x8000_0000 != 0
        let index = trailerValue & 0x7FFF_FFFF
        let known = stream(ssrc, create: false)
        let window = known?.rtcp
        // A new SSRC's window has seen nothing and starts at index 0: every index is fresh.
        if let window { guard window.check(delta: Int(index) - Int(window.highest)) == .fresh else { throw .replayed } }
        if profile.isAEAD {
            let tag = packet + body
            rtcpAEADIV(ssrc: ssrc, index: index)
            guard rtcpCipher.start(iv: iv) else { throw .library(status: -34) }
            if encrypted {
                guard rtcpCipher.authenticate(packet, count: 8), rtcpCipher.authenticate(trailer, count: 4),
                      rtcpCipher.apply(packet + 8, count: body - 8) else { throw .library(status: -34) }
            } else {
                guard rtcpCipher.authenticate(packet, count: body), rtcpCipher.authenticate(trailer, count: 4) else { throw .library(status: -34) }
            }
            guard rtcpCipher.finishOpening(tag: tag) else { throw .authenticationFailed }
        } else {
            guard rtcpAuthentication!.verify(packet, count: body + 4, suffix: nil, length: rtcpTagLength, received: trailer + 4) else {
                throw .authenticationFailed
            }
            if encrypted {
                counterModeIV(salt: rtcpSalt, ssrc: ssrc, index: UInt64(index))
                guard rtcpCipher.start(iv: iv), rtcpCipher.apply(packet + 8, count: body - 8) else { throw .library(status: -34) }
            }
        }
        let target = window ?? stream(ssrc, create: true)!.rtcp
        target.add(delta: Int(index) - Int(target.highest))
        return body
    }

    // MARK: - Internals

    /// The stream of `ssrc`, made if `create` and it does not exist (the only allocation, once per SSRC).
    private func stream(_ ssrc: UInt32, create: Bool) -> EVPSRTPStream? {
        if let lastStream, lastSSRC == ssrc { return lastStream }
        var found = streams[ssrc]
        if found == nil && create {
            found = EVPSRTPStream(replayWindow: replayWindow)
            streams[ssrc] = found
        }
        if let found {
            lastSSRC = ssrc
            lastStream = found
        }
        return found
    }

    /// RFC 3711 §4.1.1: IV = (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16), 16 bytes.
    private func counterModeIV(salt: UnsafeMutablePointer<UInt8>, ssrc: UInt32, index: UInt64) {
        iv.update(from: salt, count: 14)
        iv[14] = 0
        iv[15] = 0
        for byte in 0..<4 { iv[4 + byte] ^= UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * UInt32(byte))) }
        for byte in 0..<6 { iv[8 + byte] ^= UInt8(truncatingIfNeeded: index >> (40 - 8 * UInt64(byte))) }
    }

    /// RFC 7714 §8.1: IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) XOR salt, 12 bytes.
    private func rtpAEADIV(ssrc: UInt32, roc: UInt32, sequence: UInt16) {
        iv[0] = 0
        iv[1] = 0
        Self.write32(ssrc, to: iv + 2)
        Self.write32(roc, to: iv + 6)
        iv[10] = UInt8(sequence >> 8)
        iv[11] = UInt8(sequence & 0xFF)
        for byte in 0..<12 { iv[byte] ^= rtpSalt[byte] }
    }

    /// RFC 7714 §9: IV = (00 00 ‖ SSRC ‖ 00 00 ‖ 0 + SRTCP index (31 bits)) XOR salt, 12 bytes.
    private func rtcpAEADIV(ssrc: UInt32, index: UInt32) {
        iv[0] = 0
        iv[1] = 0
        Self.write32(ssrc, to: iv + 2)
        iv[6] = 0
        iv[7] = 0
        Self.write32(index & 0x7FFF_FFFF, to: iv + 8)
        for byte in 0..<12 { iv[byte] ^= rtcpSalt[byte] }
    }

    /// Bytes of RTP header (fixed header, CSRCs, extension) if they fit in `limit`, as libsrtp2's
    /// `srtp_validate_rtp_header` checks them; `.malformed` otherwise.
    static func rtpHeaderLength(_ packet: UnsafeMutablePointer<UInt8>, limit: Int) throws(SRTPError) -> Int {
        var length = 12 + 4 * Int(packet[0] & 0x0F)
        guard length <= limit else { throw .malformed }
        if packet[0] & 0x10 != 0 {
            guard length + 4 <= limit else { throw .malformed }
            length += 4 + 4 * Int(read16(packet + length + 2))
            guard length <= limit else { throw .malformed }
        }
        return length
    }

    static func read16(_ pointer: UnsafeMutablePointer<UInt8>) -> UInt16 {
        UInt16(pointer[0]) << 8 | UInt16(pointer[1])
    }

    static func read32(_ pointer: UnsafeMutablePointer<UInt8>) -> UInt32 {
        UInt32(pointer[0]) << 24 | UInt32(pointer[1]) << 16 | UInt32(pointer[2]) << 8 | UInt32(pointer[3])
    }

    static func write32(_ value: UInt32, to pointer: UnsafeMutablePointer<UInt8>) {
        pointer[0] = UInt8(value >> 24)
        pointer[1] = UInt8(value >> 16 & 0xFF)
        pointer[2] = UInt8(value >> 8 & 0xFF)
        pointer[3] = UInt8(value & 0xFF)
    }
}
