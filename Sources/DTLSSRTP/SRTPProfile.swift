/// An SRTP protection profile negotiated by DTLS-SRTP's use_srtp extension (RFC 5764 §4.1.2,
/// RFC 7714 §14.2): the crypto suite and the lengths of its master key and salt.
///
/// Raw values are mediasoup's names (`srtpParameters.cryptoSuite`), which the CLI and profiles use.
public enum SRTPProfile: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// AES-256 in Galois/Counter Mode, 16-byte tag (RFC 7714).
    case aeadAES256GCM = "AEAD_AES_256_GCM"
    /// AES-128 in Galois/Counter Mode, 16-byte tag (RFC 7714).
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    /// AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711, RFC 5764).
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    /// AES-128 counter mode with a 32-bit HMAC-SHA1 tag on RTP; RTCP keeps the 80-bit tag (RFC 5764 §4.1.2).
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// mediasoup's default preference order (strongest first); the DTLS server's order wins.
    public static let defaultPreference: [SRTPProfile] = [.aeadAES256GCM, .aeadAES128GCM, .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32]

    public var description: String { rawValue }

    /// The profile's name in OpenSSL's `SSL_CTX_set_tlsext_use_srtp` list.
    public var openSSLName: String {
        switch self {
        case .aeadAES256GCM: "SRTP_AEAD_AES_256_GCM"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        case .aesCM128HMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aesCM128HMACSHA1_32: "SRTP_AES128_CM_SHA1_32"
        }
    }

    /// The profile's two-byte identifier in the use_srtp extension.
    public var identifier: UInt16 {
        switch self {
        case .aesCM128HMACSHA1_80: 0x0001
        case .aesCM128HMACSHA1_32: 0x0002
        case .aeadAES128GCM: 0x0007
        case .aeadAES256GCM: 0x0008
        }
    }

    /// The profile with the given use_srtp identifier, if it is one of these four.
    public init?(identifier: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = profile
    }

    /// Bytes of SRTP master key.
    public var masterKeyLength: Int { self == .aeadAES256GCM ? 32 : 16 }

    /// Bytes of SRTP master salt: 14 for AES-CM (RFC 3711), 12 for AEAD (RFC 7714 §12).
    public var masterSaltLength: Int { isAEAD ? 12 : 14 }

    /// Whether the profile is an AEAD (GCM) suite.
    public var isAEAD: Bool { self == .aeadAES128GCM || self == .aeadAES256GCM }

    /// Bytes `protectRTP` appends: the authentication tag.
    public var rtpOverhead: Int {
        switch self {
        case .aeadAES256GCM, .aeadAES128GCM: 16
        case .aesCM128HMACSHA1_80: 10
        case .aesCM128HMACSHA1_32: 4
        }
    }

    /// Bytes `protectRTCP` appends: the E flag and SRTCP index (4 bytes) and the tag (80-bit for both AES-CM profiles).
    public var rtcpOverhead: Int { 4 + (isAEAD ? 16 : 10) }

    /// Bytes of keying material exported from DTLS: two master keys and two salts (RFC 5764 §4.2).
    public var keyingMaterialLength: Int { 2 * (masterKeyLength + masterSaltLength) }
}
