import Engine
import Foundation
import Testing

/// Profiles written before the SRTP knobs existed (trial specs saved by an earlier sfulab) still
/// decode, with those knobs at their defaults; a wrong value is still an error.
@Suite struct ProfileDecodingTests {
    static func profileJSON(removing keys: [String], setting extra: [String: Any] = [:]) throws -> Data {
        let encoded = try JSONEncoder().encode(Profile())
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        var transport = try #require(object["webRtcTransport"] as? [String: Any])
        for key in keys { transport[key] = nil }
        for (key, value) in extra { transport[key] = value }
        object["webRtcTransport"] = transport
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func profilesWithoutTheSRTPKnobsTakeTheirDefaults() throws {
        let data = try Self.profileJSON(removing: ["srtpCryptoSuites", "srtpBackend"])
        let profile = try JSONDecoder().decode(Profile.self, from: data)
        #expect(profile.webRtcTransport.srtpCryptoSuites == SRTPCryptoSuite.allCases)
        #expect(profile.webRtcTransport.srtpBackend == .libsrtp2)
        #expect(profile == Profile())
    }

    @Test func givenSRTPKnobsAreRead() throws {
        let data = try Self.profileJSON(removing: [], setting: ["srtpBackend": "openssl", "srtpCryptoSuites": ["AEAD_AES_128_GCM"]])
        let profile = try JSONDecoder().decode(Profile.self, from: data)
        #expect(profile.webRtcTransport.srtpBackend == .openssl)
        #expect(profile.webRtcTransport.srtpCryptoSuites == [.aeadAES128GCM])
    }

    @Test func aMisspeltBackendIsStillAnError() throws {
        let data = try Self.profileJSON(removing: [], setting: ["srtpBackend": "opensll"])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Profile.self, from: data) }
    }

    @Test func olderKeysStayRequired() throws {
        let data = try Self.profileJSON(removing: ["enableUdp"])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Profile.self, from: data) }
    }
}
