import DTLSSRTP
import Engine
import ICE

/// The secure side of a server WebRTC transport (mediasoup's `WebRtcTransport` without the
/// router): an ICE-lite agent, a DTLS endpoint whose role is resolved at `connect`, and the SRTP
/// session its keys give. It wraps a plain engine transport: datagrams from the wire go in,
/// decrypted RTP/RTCP for the engine come out in place; packets from the engine go in and come
/// out protected, for the selected tuple. Sans-IO: no socket, no clock (docs/webrtc-transport.md).
///
/// Demultiplexing follows RFC 7983: STUN goes to the agent, DTLS to the endpoint, SRTP/SRTCP to
/// the session; anything else is counted (`unknownKind`) and dropped. DTLS and media are accepted
/// only from tuples a valid ICE check came from. The DTLS handshake starts when both `connect`
/// has named the peer's fingerprint and ICE has selected a tuple.
///
/// Confined to one event loop; not Sendable.
public final class WebRTCServerSecurity {
    /// The ICE username fragment and password the client must use (`iceParameters`).
    public var iceCredentials: ICECredentials { agent.localCredentials }
    /// The local certificate's fingerprint (`dtlsParameters.fingerprints`).
    public var fingerprint: DTLSFingerprint { channel.context.certificate.fingerprint }
    public var iceState: ICEState { agent.state }
    public var selectedTuple: ICETransportTuple? { agent.selectedTuple }
    public var dtlsState: DTLSTransportState { channel.state }
    /// The DTLS role resolved at `connect`; nil before.
    public private(set) var dtlsRole: DTLSRole?
    /// The negotiated SRTP profile once DTLS is connected.
    public var srtpProfile: SRTPProfile? { channel.srtp?.profile }
    /// The library SRTP runs on (`webRtcTransport.srtpBackend`), chosen when the layer is made.
    public var srtpBackend: SRTPBackend { channel.srtpBackend }
    /// Why DTLS failed, once it did.
    public private(set) var dtlsFailure: DTLSFailure?
    /// Drops by reason and media counts of this layer.
    public private(set) var counters = WebRTCSecurityCounters()
    public var iceCounters: ICECounters { agent.counters }
    public var dtlsCounters: DTLSCounters? { channel.endpoint?.counters }
    public var srtpCounters: SRTPCounters? { channel.srtp?.counters }
    /// Bytes `protect` appends to an RTP (`rtp`) or RTCP packet with the negotiated profile; the
    /// largest of any profile before.
    public var overhead: (rtp: Int, rtcp: Int) {
        guard let profile = srtpProfile else { return (16, 20) }
        return (profile.rtpOverhead, profile.rtcpOverhead)
    }

    private var agent: ICELiteAgent
    private let channel: DTLSSRTPChannel
    private var outputs = SecurityOutputQueue()

    /// - Parameters:
    ///   - context: the server's DTLS context (one certificate per process, profiles in preference order).
    ///   - generator: draws the ICE credentials and tie-breaker.
    ///   - consentTimeout: mediasoup's `iceConsentTimeout` (zero disables it).
    ///   - dtlsRetransmissionTimeout: the first DTLS retransmission timeout (≥ 20 ms; nil: OpenSSL's 1 s).
    ///   - srtpBackend: the library that protects and unprotects media (the peer's may differ).
    public init<G: RandomNumberGenerator>(context: DTLSContext, generator: inout G,
                                          consentTimeout: Duration = ICELiteAgent.defaultConsentTimeout,
                                          dtlsRetransmissionTimeout: Duration? = .milliseconds(100),
                                          srtpBackend: SRTPBackend = .libsrtp2) {
        agent = ICELiteAgent(generator: &generator, consentTimeout: consentTimeout)
        channel = DTLSSRTPChannel(context: context, retransmissionTimeout: dtlsRetransmissionTimeout, srtpBackend: srtpBackend)
    }

    /// mediasoup's `WebRtcTransport.connect({ dtlsParameters })`: resolves the local DTLS role
    /// against the peer's (`auto` here: opposite of an explicit peer role, client against `auto`)
    /// and creates the endpoint; the handshake starts at once if ICE already has a tuple.
    /// Throws `DTLSError.roleConflict` or a configuration error; a second call throws
    /// ``WebRTCSecurityError/alreadyConnected``.
    public func connect(remoteRole: DTLSRole, remoteFingerprint: DTLSFingerprint, now: Instant) throws(WebRTCSecurityError) {
        guard !channel.isConfigured else { throw .alreadyConnected }
        let role: DTLSRole
        do throws(DTLSError) {
            role = try DTLSRole.auto.resolved(remote: remoteRole)
            try channel.configure(role: role, remoteFingerprint: remoteFingerprint)
        } catch {
            throw .dtls(error)
        }
        dtlsRole = role
        startDTLSIfReady(now: now)
        collect()
    }

    /// A datagram that arrived on `tuple` (`tuple.local` our socket, `tuple.remote` the peer),
    /// in `buffer[0..<length]`. Media is decrypted in place (the result says its new length);
    /// STUN and DTLS answers are queued for `poll()`.
    public func handle(_ buffer: UnsafeMutableRawBufferPointer, length: Int, on tuple: ICETransportTuple, now: Instant) -> WebRTCReceiveResult {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        let result: WebRTCReceiveResult
        switch WebRTCDatagramKind.classify(bytes) {
        case .stun:
            agent.handle(bytes, on: tuple, now: .nanoseconds(now.nanoseconds))
            collect()
            startDTLSIfReady(now: now)
            collect()
            return .handled
        case .dtls:
            guard channel.isConfigured else { result = .dropped(.dtlsBeforeConnect); break }
            guard agent.tuples.contains(tuple) else { result = .dropped(.unknownTuple); break }
            channel.handle(bytes, now: now)
            collect()
            return .handled
        case .rtp, .rtcp:
            guard agent.tuples.contains(tuple) else { result = .dropped(.unknownTuple); break }
            result = channel.unprotect(buffer, length: length, rtcp: WebRTCDatagramKind.classify(bytes) == .rtcp)
        case .unknown:
            result = .dropped(.unknownKind)
        }
        switch result {
        case .dropped(let reason): counters.drop(reason)
        case .rtp, .rtcp: counters.mediaReceived += 1
        case .handled: break
        }
        return result
    }

    /// Array convenience for tests: handles a copy of `datagram`, returning the result and the
    /// decrypted packet for media.
    public func handle(_ datagram: [UInt8], on tuple: ICETransportTuple, now: Instant) -> (WebRTCReceiveResult, [UInt8]) {
        var copy = datagram
        let result = copy.withUnsafeMutableBytes { handle($0, length: datagram.count, on: tuple, now: now) }
        return (result, Array(copy.prefix(result.mediaLength ?? 0)))
    }

    /// Protects the plaintext packet in `buffer[0..<length]` in place for the selected tuple;
    /// `buffer` needs `length + overhead` bytes. Nil (and counted) before DTLS is connected or
    /// without a selected tuple.
    public func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int, rtcp: Bool) -> (length: Int, tuple: ICETransportTuple)? {
        guard let tuple = agent.selectedTuple else {
            counters.drop(channel.srtp == nil ? .sendBeforeKeys : .sendWithoutTuple)
            return nil
        }
        switch channel.protect(buffer, length: length, rtcp: rtcp) {
        case .success(let protected):
            counters.mediaSent += 1
            return (protected, tuple)
        case .failure(let reason):
            counters.drop(reason)
            return nil
        }
    }

    /// Array convenience for ``protect(_:length:rtcp:)``.
    public func protect(_ packet: [UInt8], rtcp: Bool) -> (bytes: [UInt8], tuple: ICETransportTuple)? {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        guard let (length, tuple) = buffer.withUnsafeMutableBytes({ protect($0, length: packet.count, rtcp: rtcp) }) else { return nil }
        return (Array(buffer.prefix(length)), tuple)
    }

    /// When `handleTimeout` is due: ICE consent expiry or a DTLS retransmission.
    public func nextDeadline(now: Instant) -> Instant? {
        let ice = agent.nextDeadline().map { Instant(nanoseconds: Int64($0.nanoseconds)) }
        return .earliest(ice, channel.nextDeadline(now: now))
    }

    public func handleTimeout(now: Instant) {
        agent.handleTimeout(now: .nanoseconds(now.nanoseconds))
        channel.handleTimeout(now: now)
        collect()
    }

    /// Sends close_notify (to the selected tuple) and closes the agent.
    public func close(now: Instant) {
        channel.close(now: now)
        collect()
        agent.close()
        collect()
    }

    /// The next datagram to send or event; nil when none is left.
    public func poll() -> WebRTCSecurityOutput? {
        outputs.pop()
    }

    private func startDTLSIfReady(now: Instant) {
        guard channel.isConfigured, channel.state == .new, agent.selectedTuple != nil else { return }
        channel.start(now: now)
    }

    /// Moves the agent's and the channel's outputs into the queue, addressing DTLS to the selected tuple.
    private func collect() {
        while let output = agent.poll() { outputs.push(output) }
        for output in channel.outputs {
            switch output {
            case .datagram(let bytes):
                if let tuple = agent.selectedTuple { outputs.push(.transmit(tuple, bytes)) } else { counters.drop(.sendWithoutTuple) }
            case .event(let event):
                if case .dtlsFailed(let failure) = event { dtlsFailure = failure }
                outputs.push(.event(event))
            }
        }
        channel.outputs.removeAll(keepingCapacity: true)
    }
}

/// Why `connect` was refused.
public enum WebRTCSecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `connect` was called before on this transport.
    case alreadyConnected
    /// The DTLS parameters could not be used (role conflict, bad configuration).
    case dtls(DTLSError)

    public var description: String {
        switch self {
        case .alreadyConnected: "the transport is already connected"
        case .dtls(let error): "\(error)"
        }
    }
}
