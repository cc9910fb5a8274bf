import ControlAPI
import DTLSSRTP
import Engine
import EngineClient
import NIOCore
import WebRTCTransport

/// Webrtc transports on the driver's loop: the ICE check and DTLS handshake during set-up, then
/// the security layers' timers (ICE consent checks, DTLS retransmissions) for the rest of the trial.
extension LiveDriver {
    /// The security layers' clock.
    func securityNow() -> Instant {
        Instant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds &- securityOrigin.uptimeNanoseconds))
    }

    /// Runs ICE and DTLS for the socket to `engine` (opened before) with `security`; the future
    /// completes with the set-up time (first ICE check to SRTP keys), or fails when DTLS fails or
    /// `timeout` passes first. Any thread.
    func handshake(engine: Endpoint, security transfer: UncheckedTransfer<WebRTCClientSecurity>, timeout: Duration) -> EventLoopFuture<Duration> {
        loop.flatSubmit {
            let security = transfer.value
            let promise = self.loop.makePromise(of: Duration.self)
            self.securities[engine] = security
            self.handshakes[engine] = promise
            self.loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                guard let pending = self.handshakes.removeValue(forKey: engine) else { return }
                pending.fail(Failure(description: "ICE + DTLS with the engine transport at \(engine) did not finish within \(timeout) "
                                     + "(ICE \(security.iceState.rawValue), DTLS \(security.dtlsState.rawValue))"))
            }
            security.start(now: self.securityNow())
            self.flushSecurity(engine, security)
            return promise.futureResult
        }
    }

    /// Writes what `security` queued (STUN checks, DTLS flights) to its socket, settles its
    /// handshake when DTLS is done, and re-arms the security timer.
    func flushSecurity(_ engine: Endpoint, _ security: WebRTCClientSecurity) {
        var wrote: (any Channel)?
        while let output = security.poll() {
            guard case .transmit(_, let bytes) = output, let socket = sockets[engine] else { continue }
            if let remote = socket.remote {
                socket.channel.write(AddressedEnvelope(remoteAddress: remote, data: socket.channel.allocator.buffer(bytes: bytes)), promise: nil)
            } else if let framed = RFC4571FrameDecoder.frame(bytes, allocator: socket.channel.allocator) {
                socket.channel.write(framed, promise: nil)
            }
            wrote = socket.channel
        }
        wrote?.flush()
        if let promise = handshakes[engine] {
            switch security.dtlsState {
            case .connected:
                handshakes[engine] = nil
                let setup = security.setupTime ?? .zero
                setupTimes.append(setup)
                promise.succeed(setup)
            case .failed, .closed:
                handshakes[engine] = nil
                promise.fail(Failure(description: "DTLS with the engine transport at \(engine) failed: "
                                     + (security.dtlsFailure.map { "\($0)" } ?? security.dtlsState.rawValue)))
            case .new, .connecting:
                if security.iceState == .failed {
                    handshakes[engine] = nil
                    promise.fail(Failure(description: "the ICE check of the engine transport at \(engine) failed"))
                }
            }
        }
        armSecurityTimer()
    }

    /// Schedules the earliest security deadline (kept when an armed timer fires no later).
    func armSecurityTimer() {
        let now = securityNow()
        var earliest: Instant?
        for security in securities.values {
            if let due = security.nextDeadline(now: now), earliest == nil || due < earliest! { earliest = due }
        }
        guard let earliest else { return }
        let deadline = securityOrigin + .nanoseconds(max(0, earliest.nanoseconds))
        if securityTimer != nil, let armed = securityTimerAt, armed <= deadline { return }
        securityTimer?.cancel()
        securityTimerAt = deadline
        securityTimer = loop.scheduleTask(deadline: deadline) {
            self.securityTimer = nil
            self.securityTimerAt = nil
            let now = self.securityNow()
            for (engine, security) in self.securities {
                guard let due = security.nextDeadline(now: now), due <= now else { continue }
                security.handleTimeout(now: now)
                self.flushSecurity(engine, security)
            }
            self.armSecurityTimer()
        }
    }

    /// The result's `live.setupTime.*` (ms: first ICE check to SRTP keys, per transport),
    /// `live.srtpDrops` (what the participants' layers dropped; `live.srtpDrops.<reason>` for
    /// each reason that happened) and `live.unprotected`.
    var securityFigures: [String: Double] {
        guard !setupTimes.isEmpty else { return [:] }
        let sorted = setupTimes.map(\.milliseconds).sorted()
        var figures: [String: Double] = [:]
        for reason in WebRTCDropReason.allCases {
            let count = securities.values.reduce(0) { $0 + $1.counters[reason] }
            if count > 0 { figures["live.srtpDrops.\(reason.rawValue)"] = Double(count) }
        }
        return figures.merging([
            "live.setupTime.p50": sorted[(sorted.count - 1) / 2],
            "live.setupTime.max": sorted[sorted.count - 1],
            "live.setupTime.mean": sorted.reduce(0, +) / Double(sorted.count),
            "live.srtpDrops": Double(securities.values.reduce(0) { $0 + $1.counters.totalDropped }),
            "live.unprotected": Double(counters.unprotected),
        ]) { _, new in new }
    }

    /// What the transports carried, for `liveImpairments["security"]`: with webrtc, the SRTP
    /// profile and which library ran it on each side (`server` is one of the server's webrtc
    /// transports' stats; nil when they could not be read).
    func securityNote(kernel: Bool, server: WebRTCTransportStats?) -> String {
        guard let client = securities.values.first, let profile = client.srtpProfile else {
            return "plain: unencrypted RTP/RTCP (PlainTransport), no ICE or DTLS"
        }
        let serverSide = server.map { "\($0.srtpBackend) (\($0.srtpLibrary))" } ?? "not reported"
        return "webrtc: ICE-lite check, DTLS 1.2 handshake (participants in the client role) and SRTP \(profile.rawValue) on every "
            + "transport (SRTP backend: server \(serverSide), participants \(client.srtpBackend.rawValue) (\(client.srtpBackend.libraryVersion))), "
            + "set up before the trial clock starts; encrypted at the socket, "
            + (kernel ? "so the kernel path's links carry the encrypted IP packets"
                      : "after the user-space links, which count the SRTP overhead")
    }
}
