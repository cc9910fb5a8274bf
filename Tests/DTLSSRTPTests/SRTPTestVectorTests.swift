@testable import DTLSSRTP
import Testing

/// The OpenSSL backend against published vectors: RFC 3711 Appendix B.3 (key derivation),
/// RFC 6188 §7.2 (AES-256 key derivation) and RFC 7714 §16–§17 (AES-GCM SRTP and SRTCP), byte for byte.
@Suite struct SRTPTestVectorTests {
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    // RFC 3711 Appendix B.3.
    static let masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139")
    static let masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6")

    @Test func rfc3711KeyDerivation() throws {
        #expect(try SRTPSessionKeys.pseudoRandom(masterKey: Self.masterKey, masterSalt: Self.masterSalt, label: 0x00, count: 16)
            == Self.hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(try SRTPSessionKeys.pseudoRandom(masterKey: Self.masterKey, masterSalt: Self.masterSalt, label: 0x02, count: 14)
            == Self.hex("30CBBC08863D8C85D49DB34A9AE1"))
        // The appendix lists 94 bytes of authentication key stream: several AES blocks.
        #expect(try SRTPSessionKeys.pseudoRandom(masterKey: Self.masterKey, masterSalt: Self.masterSalt, label: 0x01, count: 94)
            == Self.hex("""
                CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2
                """))
        let keys = try SRTPSessionKeys(profile: .aesCM128HMACSHA1_80, masterKeyAndSalt: Self.masterKey + Self.masterSalt)
        #expect(keys.rtpKey == Self.hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(keys.rtpAuthenticationKey == Self.hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        #expect(keys.rtpSalt == Self.hex("30CBBC08863D8C85D49DB34A9AE1"))
        #expect(keys.rtcpKey != keys.rtpKey && keys.rtcpSalt != keys.rtpSalt, "labels 0x03–0x05 give other keys")
    }

    @Test func rfc6188AES256KeyDerivation() throws {
        let key = Self.hex("F0F04914B513F2763A1B1FA130F10E2998F6F6E43E4309D1E622A0E332B9F1B6")
        let salt = Self.hex("3B04803DE51EE7C96423AB5B78D2")
        #expect(try SRTPSessionKeys.pseudoRandom(masterKey: key, masterSalt: salt, label: 0x00, count: 32)
            == Self.hex("5BA1064E30EC51613CAD926C5A28EF731EC7FB397F70A960653CAF06554CD8C4"))
        #expect(try SRTPSessionKeys.pseudoRandom(masterKey: key, masterSalt: salt, label: 0x02, count: 14)
            == Self.hex("FA31791685CA444A9E07C6C64E93"))
    }

    // RFC 7714 §16–§17: session keys given directly.
    static let key128 = hex("000102030405060708090a0b0c0d0e0f")
    static let key256 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    static let salt = hex("517569642070726f2071756f")
    static let rtp = hex("""
        8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472 6573
        """)
    static let rtcp = hex("""
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef deadbeef
        """)

    static func context(_ profile: SRTPProfile, _ direction: EVPSRTPContext.Direction) throws -> EVPSRTPContext {
        let key = profile == .aeadAES256GCM ? key256 : key128
        let keys = SRTPSessionKeys(rtpKey: key, rtpAuthenticationKey: [], rtpSalt: salt, rtcpKey: key, rtcpAuthenticationKey: [], rtcpSalt: salt)
        return try EVPSRTPContext(profile: profile, sessionKeys: keys, direction: direction, replayWindow: 1024, allowRepeatTransmission: false)
    }

    /// Runs a context operation on `packet` in a buffer with room for a trailer; returns the result bytes.
    static func apply(_ packet: [UInt8], _ operation: (UnsafeMutablePointer<UInt8>, Int) throws(SRTPError) -> Int) throws(SRTPError) -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        let length = try buffer.withUnsafeMutableBufferPointer { pointer throws(SRTPError) in try operation(pointer.baseAddress!, packet.count) }
        return Array(buffer[0..<length])
    }

    @Test(arguments: [
        (SRTPProfile.aeadAES128GCM, """
            8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a
            51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce
            """),  // §16.1
        (SRTPProfile.aeadAES256GCM, """
            8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3 b50b2a02
            76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13
            """),  // §16.2
    ])
    func rfc7714SRTP(profile: SRTPProfile, expected: String) throws {
        let sender = try Self.context(profile, .outbound)
        let protected = try Self.apply(Self.rtp) { packet, length throws(SRTPError) in try sender.protectRTP(packet, length: length) }
        #expect(protected == Self.hex(expected))
        let receiver = try Self.context(profile, .inbound)
        let plain = try Self.apply(Self.hex(expected)) { packet, length throws(SRTPError) in try receiver.unprotectRTP(packet, length: length) }
        #expect(plain == Self.rtp)
        #expect(throws: SRTPError.replayed) {
            try Self.apply(Self.hex(expected)) { packet, length throws(SRTPError) in try receiver.unprotectRTP(packet, length: length) }
        }
    }

    /// §17.1: SRTCP index 0x5d4, E flag set. The index comes from the context's own counter: the
    /// first SRTCP packet of an SSRC gets index 1 (as in libsrtp2), so 0x5d3 packets go first.
    @Test func rfc7714SRTCPEncrypted128() throws {
        let expected = Self.hex("""
            81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda
            4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4
            """)
        let sender = try Self.context(.aeadAES128GCM, .outbound)
        for _ in 1..<0x5d4 { _ = try Self.apply(Self.rtcp) { packet, length throws(SRTPError) in try sender.protectRTCP(packet, length: length) } }
        let protected = try Self.apply(Self.rtcp) { packet, length throws(SRTPError) in try sender.protectRTCP(packet, length: length) }
        #expect(protected == expected)
        let receiver = try Self.context(.aeadAES128GCM, .inbound)
        #expect(try Self.apply(expected) { packet, length throws(SRTPError) in try receiver.unprotectRTCP(packet, length: length) } == Self.rtcp)
    }

    @Test(arguments: [
        (SRTPProfile.aeadAES256GCM, """
            81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50 a2eaa5c1 110555be
            8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4
            """),  // §17.2, encrypted
        (SRTPProfile.aeadAES128GCM, """
            81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef
            deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4
            """),  // §17.3, E flag clear: authenticated only
        (SRTPProfile.aeadAES256GCM, """
            81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef
            deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393 ed2615fe 000005d4
            """),  // §17.4, E flag clear
    ])
    func rfc7714SRTCPVerification(profile: SRTPProfile, wire: String) throws {
        let receiver = try Self.context(profile, .inbound)
        let packet = Self.hex(wire)
        var tampered = packet
        tampered[20] ^= 0x01  // inside the (encrypted or only authenticated) body
        #expect(throws: SRTPError.authenticationFailed) {
            try Self.apply(tampered) { packet, length throws(SRTPError) in try receiver.unprotectRTCP(packet, length: length) }
        }
        #expect(try Self.apply(packet) { packet, length throws(SRTPError) in try receiver.unprotectRTCP(packet, length: length) } == Self.rtcp)
    }
}
