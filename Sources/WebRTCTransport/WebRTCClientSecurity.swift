import DTLSSRTP
import Engine
import ICE

/// The client counterpart of ``WebRTCServerSecurity``, for the live load generator's
/// participants: an ICE controlling checker on one candidate pair (our socket to the server's
/// candidate, aggressive nomination), then a DTLS handshake in the role this side signalled,
/// then SRTP. Sans-IO like the server layer (docs/webrtc-transport.md).
///
/// Signalling: send ``signalledRole`` and ``fingerprint`` in `connect`'s `dtlsParameters` before
/// calling ``start(now:)``. A `client` role makes the server the DTLS server, and this side sends
/// its ClientHello as soon as its ICE check succeeds; a `server` role waits for the server's.
///
/// Confined to one event loop; not Sendable.
public final class WebRTCClientSecurity {
    /// The DTLS role this side takes and signals (client or server).
    public let signalledRole: DTLSRole
    /// Our certificate's fingerprint, to signal.
    public var fingerprint: DTLSFingerprint { channel.context.certificate.fingerprint }
    /// The one tuple: our socket and the server's candidate.
    public var tuple: ICETransportTuple { checker.tuple }
    public var iceState: ICEState { checker.state }
    public var dtlsState: DTLSTransportState { channel.state }
    public var srtpProfile: SRTPProfile? { channel.srtp?.profile }
    /// The library SRTP runs on, chosen when the layer is made.
    public var srtpBackend: SRTPBackend { channel.srtpBackend }
    public private(set) var counters = WebRTCSecurityCounters()
    /// Why DTLS failed, once it did.
    public private(set) var dtlsFailure: DTLSFailure?
    public var iceCounters: ICECounters { checker.counters }
    public var dtlsCounters: DTLSCounters? { channel.endpoint?.counters }
    /// When `start` ran and when DTLS connected: set-up time is the difference (``setupTime``).
    public private(set) var startedAt: Instant?
    public private(set) var connectedAt: Instant?
    /// ICE check to SRTP keys: what a participant waits before its first media packet.
    public var setupTime: Duration? {
        guard let startedAt, let connectedAt else { return nil }
        return connectedAt - startedAt
    }
    /// Bytes `protect` appends to RTP and RTCP with the negotiated profile (the largest before).
    public var overhead: (rtp: Int, rtcp: Int) {
        guard let profile = srtpProfile else { return (16, 20) }
        return (profile.rtpOverhead, profile.rtcpOverhead)
    }

    private var checker: ICEControllingChecker<SeededGenerator>
    private let channel: DTLSSRTPChannel
    private let remoteFingerprint: DTLSFingerprint
    private var outputs = SecurityOutputQueue()

    /// - Parameters:
    ///   - remoteCredentials: the server's `iceParameters`.
    ///   - remoteFingerprint: one of the server's `dtlsParameters.fingerprints`.
    ///   - tuple: our socket (local) and the server's candidate (remote).
    ///   - role: `client` or `server` (`auto` is taken as `client`).
    ///   - random: ICE credentials, tie-breaker, transaction IDs and consent jitter.
    ///   - srtpBackend: the library that protects and unprotects media (the server's may differ).
    public init(context: DTLSContext, remoteCredentials: ICECredentials, remoteFingerprint: DTLSFingerprint,
                tuple: ICETransportTuple, role: DTLSRole = .client, random: SeededGenerator,
                iceConfiguration: ICECheckerConfiguration = ICECheckerConfiguration(),
                dtlsRetransmissionTimeout: Duration? = .milliseconds(100), srtpBackend: SRTPBackend = .libsrtp2) {
        signalledRole = role == .server ? .server : .client
        checker = ICEControllingChecker(remoteCredentials: remoteCredentials, tuple: tuple, configuration: iceConfiguration, random: random)
        channel = DTLSSRTPChannel(context: context, retransmissionTimeout: dtlsRetransmissionTimeout, srtpBackend: srtpBackend)
        self.remoteFingerprint = remoteFingerprint
    }

    /// Sends the first ICE check (call after the server was told our `dtlsParameters`).
    public func start(now: Instant) {
        guard startedAt == nil else { return }
        startedAt = now
        checker.start(now: .nanoseconds(now.nanoseconds))
        collect(now: now)
    }

    /// A datagram from the server in `buffer[0..<length]`; media is decrypted in place.
    public func handle(_ buffer: UnsafeMutableRawBufferPointer, length: Int, now: Instant) -> WebRTCReceiveResult {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        let kind = WebRTCDatagramKind.classify(bytes)
        let result: WebRTCReceiveResult
        switch kind {
        case .stun:
            checker.handle(bytes, now: .nanoseconds(now.nanoseconds))
            collect(now: now)
            return .handled
        case .dtls:
            guard channel.isConfigured else { result = .dropped(.dtlsBeforeConnect); break }
            channel.handle(bytes, now: now)
            collect(now: now)
            return .handled
        case .rtp, .rtcp:
            result = channel.unprotect(buffer, length: length, rtcp: kind == .rtcp)
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

    /// Array convenience: handles a copy, returning the result and the decrypted packet for media.
    public func handle(_ datagram: [UInt8], now: Instant) -> (WebRTCReceiveResult, [UInt8]) {
        var copy = datagram
        let result = copy.withUnsafeMutableBytes { handle($0, length: datagram.count, now: now) }
        return (result, Array(copy.prefix(result.mediaLength ?? 0)))
    }

    /// Protects `buffer[0..<length]` in place (capacity `length + overhead`); nil and counted
    /// before DTLS is connected.
    public func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int, rtcp: Bool) -> Int? {
        switch channel.protect(buffer, length: length, rtcp: rtcp) {
        case .success(let protected):
            counters.mediaSent += 1
            return protected
        case .failure(let reason):
            counters.drop(reason)
            return nil
        }
    }

    /// Array convenience for ``protect(_:length:rtcp:)``.
    public func protect(_ packet: [UInt8], rtcp: Bool) -> [UInt8]? {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        guard let length = buffer.withUnsafeMutableBytes({ protect($0, length: packet.count, rtcp: rtcp) }) else { return nil }
        return Array(buffer.prefix(length))
    }

    /// When `handleTimeout` is due: an ICE retransmission or consent check, or a DTLS retransmission.
    public func nextDeadline(now: Instant) -> Instant? {
        let ice = checker.nextDeadline().map { Instant(nanoseconds: Int64($0.nanoseconds)) }
        return .earliest(ice, channel.nextDeadline(now: now))
    }

    public func handleTimeout(now: Instant) {
        checker.handleTimeout(now: .nanoseconds(now.nanoseconds))
        channel.handleTimeout(now: now)
        collect(now: now)
    }

    /// Sends close_notify.
    public func close(now: Instant) {
        channel.close(now: now)
        collect(now: now)
    }

    /// The next datagram to send (always on ``tuple``) or event; nil when none is left.
    public func poll() -> WebRTCSecurityOutput? {
        outputs.pop()
    }

    /// Moves the checker's and the channel's outputs into the queue; once the check succeeded,
    /// creates and starts the DTLS endpoint.
    private func collect(now: Instant) {
        while let output = checker.poll() { outputs.push(output) }
        if !channel.isConfigured, checker.state == .completed || checker.state == .connected {
            do throws(DTLSError) {
                try channel.configure(role: signalledRole, remoteFingerprint: remoteFingerprint)
                channel.start(now: now)
            } catch {
                outputs.push(.event(.dtlsFailed(.protocolError("\(error)"))))
            }
        }
        let wasConnected = connectedAt != nil
        for output in channel.outputs {
            switch output {
            case .datagram(let bytes): outputs.push(.transmit(checker.tuple, bytes))
            case .event(let event):
                if case .dtlsFailed(let failure) = event { dtlsFailure = failure }
                outputs.push(.event(event))
            }
        }
        channel.outputs.removeAll(keepingCapacity: true)
        if !wasConnected, channel.state == .connected { connectedAt = now }
    }
}
