/// The session keys of one SRTP direction, derived from a master key and salt by RFC 3711 §4.3's
/// key derivation (AES-CM PRF, key derivation rate 0) with labels 0x00–0x05; RFC 7714 §11 keeps
/// the same derivation for AES-GCM, with the 12-byte master salt padded with two zero bytes (as
/// libsrtp2 pads it) and 12-byte session salts.
struct SRTPSessionKeys: Equatable, Sendable {
    /// SRTP encryption key (label 0x00): 16 bytes, 32 for AES-256-GCM.
    var rtpKey: [UInt8]
    /// SRTP authentication key (label 0x01): 20 bytes for HMAC-SHA1, empty for AEAD.
    var rtpAuthenticationKey: [UInt8]
    /// SRTP session salt (label 0x02): 14 bytes for AES-CM, 12 for AEAD.
    var rtpSalt: [UInt8]
    /// SRTCP encryption key (label 0x03).
    var rtcpKey: [UInt8]
    /// SRTCP authentication key (label 0x04).
    var rtcpAuthenticationKey: [UInt8]
    /// SRTCP session salt (label 0x05).
    var rtcpSalt: [UInt8]

    /// Derives the six session keys of `profile` from `masterKeyAndSalt` (master key followed by master salt).
    init(profile: SRTPProfile, masterKeyAndSalt: [UInt8]) throws(SRTPError) {
        guard masterKeyAndSalt.count == profile.masterKeyLength + profile.masterSaltLength else { throw .library(status: -20) }
        let key = Array(masterKeyAndSalt[0..<profile.masterKeyLength])
        let salt = Array(masterKeyAndSalt[profile.masterKeyLength...])
        let authentication = profile.isAEAD ? 0 : HMACSHA1.digestLength
        func derive(_ label: UInt8, _ count: Int) throws(SRTPError) -> [UInt8] {
            try Self.pseudoRandom(masterKey: key, masterSalt: salt, label: label, count: count)
        }
        rtpKey = try derive(0x00, profile.masterKeyLength)
        rtpAuthenticationKey = try derive(0x01, authentication)
        rtpSalt = try derive(0x02, profile.masterSaltLength)
        rtcpKey = try derive(0x03, profile.masterKeyLength)
        rtcpAuthenticationKey = try derive(0x04, authentication)
        rtcpSalt = try derive(0x05, profile.masterSaltLength)
    }

    /// Session keys given directly (RFC 7714's test vectors start from session keys).
    init(rtpKey: [UInt8], rtpAuthenticationKey: [UInt8], rtpSalt: [UInt8],
         rtcpKey: [UInt8], rtcpAuthenticationKey: [UInt8], rtcpSalt: [UInt8]) {
        self.rtpKey = rtpKey
        self.rtpAuthenticationKey = rtpAuthenticationKey
        self.rtpSalt = rtpSalt
        self.rtcpKey = rtcpKey
        self.rtcpAuthenticationKey = rtcpAuthenticationKey
        self.rtcpSalt = rtcpSalt
    }

    /// RFC 3711 §4.3.1–§4.3.3 with kdr 0: x = (label · 2^48) XOR master salt (112 bits, the salt
    /// right-padded with zeros if shorter), and the output is the AES-CM keystream (AES-128 or
    /// AES-256 by the master key's length) for IV x · 2^16, truncated to `count` bytes.
    static func pseudoRandom(masterKey: [UInt8], masterSalt: [UInt8], label: UInt8, count: Int) throws(SRTPError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard masterKey.count == 16 || masterKey.count == 32, masterSalt.count <= 14 else { throw .library(status: -21) }
        var iv = masterSalt + [UInt8](repeating: 0, count: 16 - masterSalt.count)
        iv[7] ^= label
        iv[14] = 0
        iv[15] = 0
        let cipher = try EVPCipher(name: masterKey.count == 16 ? "AES-128-CTR" : "AES-256-CTR", key: masterKey, encrypt: true)
        var output = [UInt8](repeating: 0, count: count)
        let ok = iv.withUnsafeBufferPointer { iv in
            output.withUnsafeMutableBufferPointer { cipher.start(iv: iv.baseAddress!) && cipher.apply($0.baseAddress!, count: count) }
        }
        guard ok else { throw .library(status: -22) }
        return output
    }
}
