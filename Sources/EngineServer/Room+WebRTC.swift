import ControlAPI
import DTLSSRTP
import Engine
import ICE
import NIOCore
import WebRTCTransport

/// Webrtc transports (docs/engine-server.md, "WebRTC transports"): the security layer between a
/// transport's socket and the plain engine transport. Every method runs on the room's loop.
extension Room {
    /// A datagram for a webrtc transport: STUN and DTLS stay in the security layer (its answers
    /// go out on the tuple they name), SRTP/SRTCP is decrypted in place and handed to the engine
    /// as if it had arrived in the clear from ICE's selected tuple.
    func receiveSecure(_ buffer: ByteBuffer, from peer: Endpoint, on transport: RoomTransport, security: WebRTCServerSecurity,
                       readAt: UInt64) {
        let length = buffer.readableBytes
        if scratch.count < length { scratch = [UInt8](repeating: 0, count: length) }
        let decryptAt = MonotonicClock.now()
        let result = scratch.withUnsafeMutableBytes { target in
            buffer.withUnsafeReadableBytes { target.copyMemory(from: $0) }
            return security.handle(target, length: length, on: transport.tuple(from: peer), now: instant(decryptAt))
        }
        switch result {
        case .handled, .dropped:
            drainSecurity(transport, security)
            rescheduleTimer()
        case .rtp(let plain), .rtcp(let plain):
            let inputAt = MonotonicClock.now()
            currentReadAt = readAt
            let cpuStart = MonotonicClock.threadCPU()
            scratch.withUnsafeBytes { bytes in
                engine.handleDatagram(from: peer, to: transport.label, bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<plain]),
                                      now: instant(inputAt))
            }
            engineCPUNanoseconds &+= MonotonicClock.threadCPU() &- cpuStart
            let isRTP = if case .rtp = result { true } else { false }
            drain(readAt: isRTP ? readAt : nil, inputAt: inputAt, decryptAt: isRTP ? decryptAt : nil)
            if !taps.isEmpty { flushTaps() }
            rescheduleTimer()
        }
    }

    /// Sends what the security layer queued (STUN answers, DTLS flights) and acts on its events:
    /// ICE's selected tuple becomes the engine transport's remote.
    func drainSecurity(_ transport: RoomTransport, _ security: WebRTCServerSecurity) {
        var wrote = false
        while let output = security.poll() {
            switch output {
            case .transmit(let tuple, let bytes):
                guard case .v4(let address) = tuple.remote.ip else { drop(.unsupportedAddress); continue }
                if let reason = transport.write(bytes, to: Endpoint(address: address, port: tuple.remote.port)) {
                    drop(reason)
                } else {
                    wrote = true
                }
            case .event(let event):
                logger.info("webrtc transport event", metadata: ["transport": "\(transport.id.rawValue)", "event": "\(event)"])
                if case .selectedTupleChanged(let tuple?) = event, case .v4(let address) = tuple.remote.ip {
                    try? engine.connectTransport(transport.id, remote: Endpoint(address: address, port: tuple.remote.port))
                }
            }
        }
        if wrote { transport.flush() }
        transport.securityDeadline = security.nextDeadline(now: instant(MonotonicClock.now()))
        securityDeadlinesChanged = true
    }

    /// The earliest of the webrtc transports' deadlines (ICE consent, DTLS retransmission), from
    /// the deadlines cached at their last drain; recomputed only after a drain or a removal.
    func securityDeadline() -> Instant? {
        if securityDeadlinesChanged {
            securityDeadlinesChanged = false
            earliestSecurityDeadline = secureTransports.reduce(nil) { earliest($0, $1.securityDeadline) }
        }
        return earliestSecurityDeadline
    }

    func earliest(_ a: Instant?, _ b: Instant?) -> Instant? {
        switch (a, b) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
    }

    /// Runs the webrtc transports' timers that are due.
    func securityTimeouts(now: Instant) {
        for transport in secureTransports {
            guard let security = transport.security, let due = transport.securityDeadline, due <= now else { continue }
            security.handleTimeout(now: now)
            drainSecurity(transport, security)
        }
    }

    /// Sends close_notify on every webrtc transport (before their sockets close).
    func closeSecurity() {
        let now = instant(MonotonicClock.now())
        for transport in secureTransports {
            guard let security = transport.security else { continue }
            security.close(now: now)
            drainSecurity(transport, security)
        }
        secureTransports.removeAll()
        securityDeadlinesChanged = true
    }

    /// Closes one webrtc transport's security layer (close_notify) and forgets it.
    func closeSecurity(of transport: RoomTransport) {
        guard let security = transport.security else { return }
        security.close(now: instant(MonotonicClock.now()))
        drainSecurity(transport, security)
        secureTransports.removeAll { $0 === transport }
        securityDeadlinesChanged = true
    }

    /// A security layer for a new webrtc transport, or why there cannot be one.
    func makeSecurity() -> Result<WebRTCServerSecurity, ControlFailure> {
        switch dtls {
        case .failure(let error):
            return .failure(.internal("webrtc transports are unavailable: the DTLS context could not be made: \(error)"))
        case .success(let context):
            let settings = engine.profile.webRtcTransport
            return .success(WebRTCServerSecurity(context: context, generator: &random, consentTimeout: .seconds(settings.iceConsentTimeout),
                                                 srtpBackend: SRTPBackend(settings.srtpBackend)))
        }
    }

    /// The signalling part of a new webrtc transport's `TransportInfo`.
    func webRTCParameters(_ transport: RoomTransport, _ security: WebRTCServerSecurity, ip: String)
        -> (ICEParameters, [ICECandidate], DTLSParameters)
    {
        let credentials = security.iceCredentials
        // RFC 8445 §5.1.2.1: host type preference 126, local preference 65535 (UDP) or, for
        // passive TCP candidates (RFC 6544 §4.2), lower so that UDP wins; component 1.
        let localPreference: UInt32 = transport.protocol == .udp ? 65_535 : 32_767
        let priority = 126 << 24 | localPreference << 8 | 255
        let candidate = ICECandidate(foundation: transport.protocol == .udp ? "udpcandidate" : "tcpcandidate", priority: priority,
                                     ip: ip, port: transport.port, protocol: transport.protocol,
                                     tcpType: transport.protocol == .tcp ? "passive" : nil)
        let fingerprints = [DTLSFingerprint.Algorithm.sha256, .sha384, .sha512].compactMap { algorithm -> DTLSFingerprintParameter? in
            guard case .success(let context) = dtls else { return nil }
            let fingerprint = context.certificate.fingerprint(algorithm)
            return DTLSFingerprintParameter(algorithm: fingerprint.algorithm.rawValue, value: fingerprint.value)
        }
        return (ICEParameters(usernameFragment: credentials.usernameFragment, password: credentials.password),
                [candidate], DTLSParameters(role: "auto", fingerprints: fingerprints))
    }

    /// `connect` on a webrtc transport: the client's DTLS role and fingerprint.
    func connectSecure(_ transport: RoomTransport, _ security: WebRTCServerSecurity, _ parameters: DTLSParameters?) throws(ControlFailure) {
        guard let parameters else {
            throw .badRequest("dtlsParameters: missing; a webrtc transport is connected with {\"dtlsParameters\": {\"role\": \"client\", \"fingerprints\": [{\"algorithm\": \"sha-256\", \"value\": \"AB:...\"}]}}")
        }
        guard let role = DTLSRole(rawValue: parameters.role) else {
            throw .badRequest("dtlsParameters.role: '\(parameters.role)' is not one of auto, client, server")
        }
        var fingerprint: DTLSFingerprint?
        for (index, candidate) in parameters.fingerprints.enumerated() {
            do throws(DTLSError) {
                fingerprint = try DTLSFingerprint(algorithm: candidate.algorithm, value: candidate.value)
                break
            } catch {
                if index == parameters.fingerprints.count - 1 {
                    throw .badRequest("dtlsParameters.fingerprints[\(index)]: \(error)")
                }
            }
        }
        guard let fingerprint else { throw .badRequest("dtlsParameters.fingerprints: empty; give at least one {algorithm, value}") }
        do throws(WebRTCSecurityError) {
            try security.connect(remoteRole: role, remoteFingerprint: fingerprint, now: instant(MonotonicClock.now()))
        } catch {
            switch error {
            case .alreadyConnected: throw .conflict("transport \(transport.id.rawValue) is already connected; create a new transport")
            case .dtls(let error): throw .badRequest("dtlsParameters.role: \(error)")
            }
        }
        drainSecurity(transport, security)
    }

    /// The webrtc part of `TransportStats`.
    func webRTCStats(_ security: WebRTCServerSecurity, _ transport: RoomTransport) -> WebRTCTransportStats {
        var drops = security.counters.nonZero
        for (reason, count) in security.iceCounters.dropped where count > 0 { drops["ice.\(Self.name(of: reason))", default: 0] += count }
        if let dtls = security.dtlsCounters {
            if dtls.malformedDatagrams > 0 { drops["dtls.malformed"] = dtls.malformedDatagrams }
            if dtls.datagramsAfterFinish > 0 { drops["dtls.afterFinish"] = dtls.datagramsAfterFinish }
        }
        let tuple = security.selectedTuple.map { tuple in
            TransportTupleDescription(localIp: "\(tuple.local.ip)", localPort: tuple.local.port, remoteIp: "\(tuple.remote.ip)",
                                      remotePort: tuple.remote.port, protocol: transport.protocol)
        }
        return WebRTCTransportStats(iceState: security.iceState.rawValue, iceSelectedTuple: tuple, dtlsState: security.dtlsState.rawValue,
                                    dtlsRole: security.dtlsRole?.rawValue, srtpCryptoSuite: security.srtpProfile?.rawValue,
                                    srtpBackend: security.srtpBackend.rawValue, srtpLibrary: security.srtpBackend.libraryVersion,
                                    mediaReceived: security.counters.mediaReceived, mediaSent: security.counters.mediaSent,
                                    drops: drops, dtlsFailure: security.dtlsFailure.map { "\($0)" })
    }

    /// An ICE drop reason's name without its payload (`malformed`, `errorResponse`, ...).
    static func name(of reason: ICEDropReason) -> String {
        let text = "\(reason)"
        return String(text.prefix { $0 != "(" })
    }
}
