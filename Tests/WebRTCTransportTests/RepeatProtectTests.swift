import DTLSSRTP
import Engine
import Testing

/// The server layer protects retransmissions without RTX, which keep their sequence number
/// (mediasoup's `allow_repeat_tx`): libsrtp2 must accept a repeated index within the window, and
/// refuses one older than the window (`replay_old`) whatever the flag says.
@Suite struct RepeatProtectTests {
    @Test(arguments: SRTPProfile.allCases)
    func aRepeatedSequenceNumberIsProtectedAgainButNotOneBehindTheWindow(profile: SRTPProfile) throws {
        let keyLength = 2 * (profile.masterKeyLength + profile.masterSaltLength)
        let exported = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let keys = try #require(SRTPKeyingMaterial(profile: profile, localRole: .client, exported: exported))
        let session = try SRTPSession(keys: keys)
        for sequence in UInt16(10)...12 {
            var packet = rtpPacket(sequence: sequence)
            try session.protectRTP(&packet)
        }
        var again = rtpPacket(sequence: 10)
        try session.protectRTP(&again)
        for sequence in UInt16(13)...1_200 {
            var packet = rtpPacket(sequence: sequence)
            try session.protectRTP(&packet)
        }
        var old = rtpPacket(sequence: 11)
        #expect(throws: SRTPError.replayed) { try session.protectRTP(&old) }
    }
}
