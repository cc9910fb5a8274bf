#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Engine
import Foundation
import Harness
import LiveHarness
import Synchronization
import Testing

/// Live trials for real: a `sfulab serve` child process and the load generator over loopback
/// sockets. They run in real time, so they are few and short (3 s of media each), one at a time.
@Suite("Live trials against sfulab serve", .serialized)
struct LiveTrialTests {
    func spec(participants: Int = 3, network: NetworkScenario, profile: Profile = Profile(), seconds: Double = 3) -> TrialSpec {
        TrialSpec(profile: profile, workload: WorkloadSpec(participants: participants), network: network,
                  duration: .seconds(seconds), seed: 5)
    }

    /// Runs `spec` live with a spawned server; returns the result (or the error) and the server's pid.
    func runLive(_ spec: TrialSpec, security: LiveSecurity = .webrtc) throws -> (result: Result<TrialResult, any Error>, pid: Int32?) {
        var runner = LiveTrialRunner(engine: .spawn(executable: try LiveTestSupport.sfulabPath()))
        runner.security = security
        let pid = Mutex<Int32?>(nil)
        runner.serverStarted = { started in pid.withLock { $0 = started } }
        let result = Result { try runner.run(spec) }
        return (result, pid.withLock { $0 })
    }

    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0
    }

    @Test("UDP: frames decode, nothing stays lost, the server's engine latency is reported, and the server is gone after")
    func udp() throws {
        let (outcome, pid) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless")))
        let result = try outcome.get()
        #expect(result.mode == "live")
        #expect(result.liveImpairments?["transport"]?.contains("UDP") == true)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
        #expect(result.metrics["frameLatency.count", default: 0] > 100)
        #expect(result.metrics["frameLatency.p95"] != nil)
        #expect(result.metrics["packetsExpected", default: 0] > 0)
        #expect(result.metrics["packetsLostAfterRecovery"] == 0)
        #expect(result.metrics["engineLatency.count", default: 0] > 0)
        #expect(result.metrics["engineLatency.p99"] != nil)
        let server = try #require(pid)
        #expect(!Self.isRunning(server))
    }

    @Test("webrtc (the default): every transport sets up ICE + DTLS, SRTP carries the media, every subscriber decodes with plausible latency")
    func webrtcDeliversToEverySubscriber() throws {
        let (outcome, _) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless")))
        let result = try outcome.get()
        #expect(result.liveImpairments?["security"]?.hasPrefix("webrtc: ") == true)
        #expect(result.liveImpairments?["security"]?.contains("AEAD_AES_256_GCM") == true)
        #expect(result.liveImpairments?["security"]?.contains("SRTP backend: server libsrtp2 (libsrtp2 ") == true)
        let setup = try #require(result.metrics["live.setupTime.max"])
        #expect(setup > 0 && setup < 5_000, "ICE + DTLS on loopback take milliseconds, not seconds")
        #expect(result.metrics["live.srtpDrops"] == 0)
        #expect(result.metrics["live.unprotected"] == 0)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
        #expect(result.metrics["packetsLostAfterRecovery"] == 0)
        let p50 = try #require(result.metrics["frameLatency.p50"])
        #expect(p50 > 0 && p50 < 500, "lossless loopback: frames arrive within a few frame intervals")
        // Every subscriber decoded every other participant's video: 3 × 2 streams saw a first frame.
        #expect(result.metrics["timeToFirstFrame.count"] == 6)
    }

    @Test("webrtc on the OpenSSL SRTP backend: the profile's srtpBackend reaches the server and the participants, and the result names it")
    func webrtcOnTheOpenSSLBackend() throws {
        var profile = Profile()
        profile.webRtcTransport.srtpBackend = .openssl
        profile.webRtcTransport.srtpCryptoSuites = [.aesCM128HMACSHA1_80]
        let (outcome, _) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless"), profile: profile))
        let result = try outcome.get()
        let note = try #require(result.liveImpairments?["security"])
        #expect(note.contains("SRTP AES_CM_128_HMAC_SHA1_80 on every transport"), "\(note)")
        #expect(note.contains("server openssl (OpenSSL ") && note.contains("participants openssl (OpenSSL "), "\(note)")
        #expect(result.metrics["live.srtpDrops"] == 0)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
        #expect(result.metrics["engineLatency.decrypt.count", default: 0] > 0)
    }

    @Test("plain: unencrypted transports still run, and the result says so")
    func plainStillRuns() throws {
        let (outcome, _) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless")), security: .plain)
        let result = try outcome.get()
        #expect(result.liveImpairments?["security"]?.hasPrefix("plain: ") == true)
        #expect(result.metrics["live.setupTime.max"] == nil)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
    }

    @Test("TCP (RFC 4571): the same session decodes over TCP connections")
    func tcp() throws {
        var profile = Profile()
        profile.webRtcTransport.enableTcp = true
        profile.webRtcTransport.preferTcp = true
        let (outcome, _) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless"), profile: profile))
        let result = try outcome.get()
        #expect(result.liveImpairments?["transport"]?.contains("TCP") == true)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
        #expect(result.metrics["frameLatency.count", default: 0] > 100)
        #expect(result.metrics["packetsLostAfterRecovery"] == 0)
        #expect(result.metrics["engineLatency.count", default: 0] > 0)
    }

    @Test("a lossy link in user space makes the engine retransmit (NACK/RTX)")
    func lossyLinkRecovers() throws {
        var lossy = try NetworkScenario.preset(named: "lossless")
        lossy.name = "lossy-5pct"
        lossy.uplink.loss = 0.05
        lossy.downlink.loss = 0.05
        lossy.uplink.delay = 10
        lossy.downlink.delay = 10
        let (outcome, _) = try runLive(spec(network: lossy))
        let result = try outcome.get()
        #expect(result.metrics["network.lostPackets", default: 0] > 0)
        #expect(result.metrics["engine.retransmissionsSent", default: 0] > 0)
        #expect(result.metrics["videoFramesDecoded", default: 0] > 100)
    }

    @Test("a trial that fails after the server started still stops the server")
    func failureStopsTheServer() throws {
        var profile = Profile()
        profile.router.mediaCodecs.removeAll { $0.kind == .video }
        let (outcome, pid) = try runLive(spec(network: try NetworkScenario.preset(named: "lossless"), profile: profile))
        #expect(throws: TrialError.self) { try outcome.get() }
        let server = try #require(pid)
        #expect(!Self.isRunning(server))
    }
}
