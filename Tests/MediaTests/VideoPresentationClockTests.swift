import Testing
@testable import Media

/// Video presentation times in a clip follow the sender's RTP clock, not receive-time bunching.
@Suite struct VideoPresentationClockTests {
    func frame(_ micros: Int64, _ rtp: UInt32) -> ClipFrame {
        ClipFrame(data: [], timeMicros: micros, rtpTimestamp: rtp, isKeyFrame: false)
    }

    @Test func framesReceivedInOneBurstKeepTheirRTPSpacing() {
        var clock = VideoPresentationClock()
        // Three frames 33.3 ms apart at the sender, the last two received in the same millisecond.
        let times = [frame(1_000_000, 90_000), frame(1_040_000, 93_000), frame(1_040_000, 96_000)].map { clock.time(of: $0) }
        #expect(times == [1_000_000, 1_033_333, 1_066_666])
    }

    @Test func aNewTimestampSpaceReanchorsOnCaptureTime() {
        var clock = VideoPresentationClock()
        _ = clock.time(of: frame(1_000_000, 90_000))
        _ = clock.time(of: frame(1_033_000, 93_000))
        // Device switch: the new source's timestamps start elsewhere (backwards here).
        let switched = clock.time(of: frame(1_070_000, 5_000))
        #expect(switched == 1_070_000)
        #expect(clock.time(of: frame(1_100_000, 8_000)) == 1_070_000 + 33_333)
    }
}
