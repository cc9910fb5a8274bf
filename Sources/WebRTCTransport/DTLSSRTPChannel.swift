import DTLSSRTP
import Engine

/// The DTLS-SRTP half of a WebRTC transport, shared by the server and client layers: a DTLS
/// endpoint once the role and the peer's fingerprint are known, then the SRTP session built from
/// its keys. Queues the DTLS datagrams to send and the events for its owner, which addresses the
/// datagrams to its ICE tuple. Confined to one event loop.
final class DTLSSRTPChannel {
    let context: DTLSContext
    let retransmissionTimeout: Duration?
    /// The library the SRTP session runs on once DTLS is connected.
    let srtpBackend: SRTPBackend
    private(set) var endpoint: DTLSEndpoint?
    private(set) var srtp: SRTPSession?
    private(set) var state: DTLSTransportState = .new
    /// DTLS datagrams to send, and events, in order.
    var outputs: [Output] = []

    enum Output {
        case datagram([UInt8])
        case event(WebRTCSecurityEvent)
    }

    init(context: DTLSContext, retransmissionTimeout: Duration?, srtpBackend: SRTPBackend) {
        self.context = context
        self.retransmissionTimeout = retransmissionTimeout
        self.srtpBackend = srtpBackend
    }

    /// Creates the endpoint for a resolved role; it waits for `start`.
    func configure(role: DTLSRole, remoteFingerprint: DTLSFingerprint) throws(DTLSError) {
        endpoint = try DTLSEndpoint(context: context, role: role, remoteFingerprint: remoteFingerprint,
                                    initialRetransmissionTimeout: retransmissionTimeout)
    }

    var isConfigured: Bool { endpoint != nil }

    /// Starts the handshake (a client sends its ClientHello).
    func start(now: Instant) {
        guard let endpoint, endpoint.state == .new else { return }
        endpoint.start(now: now)
        collect()
    }

    func handle(_ datagram: UnsafeRawBufferPointer, now: Instant) {
        guard let endpoint else { return }
        endpoint.handle(datagram: datagram, now: now)
        collect()
    }

    func nextDeadline(now: Instant) -> Instant? { endpoint?.nextDeadline(now: now) }

    func handleTimeout(now: Instant) {
        guard let endpoint else { return }
        endpoint.handleTimeout(now: now)
        collect()
    }

    func close(now: Instant) {
        guard let endpoint, state == .connecting || state == .connected else { return }
        endpoint.close(now: now)
        collect()
        setState(.closed)
    }

    /// Decrypts in place; returns the result for the owner.
    func unprotect(_ buffer: UnsafeMutableRawBufferPointer, length: Int, rtcp: Bool) -> WebRTCReceiveResult {
        guard let srtp else { return .dropped(.mediaBeforeKeys) }
        do throws(SRTPError) {
            if rtcp { return .rtcp(length: try srtp.unprotectRTCP(buffer, length: length)) }
            return .rtp(length: try srtp.unprotectRTP(buffer, length: length))
        } catch {
            switch error {
            case .authenticationFailed: return .dropped(.authenticationFailed)
            case .replayed: return .dropped(.replayed)
            default: return .dropped(.malformedMedia)
            }
        }
    }

    /// Encrypts in place; the reason when it could not.
    func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int, rtcp: Bool) -> Result<Int, WebRTCDropReason> {
        guard let srtp else { return .failure(.sendBeforeKeys) }
        do throws(SRTPError) {
            return .success(rtcp ? try srtp.protectRTCP(buffer, length: length) : try srtp.protectRTP(buffer, length: length))
        } catch {
            return .failure(.protectFailed)
        }
    }

    /// Moves the endpoint's datagrams and events into `outputs`, building SRTP on `.connected`.
    private func collect() {
        guard let endpoint else { return }
        if state == .new, endpoint.state == .connecting { setState(.connecting) }
        while let datagram = endpoint.pollTransmit() { outputs.append(.datagram(datagram)) }
        while let event = endpoint.pollEvent() {
            switch event {
            case .connected(_, let keys):
                do throws(SRTPError) {
                    srtp = try SRTPSession(keys: keys, backend: srtpBackend)
                    setState(.connected)
                } catch {
                    setState(.failed)
                    outputs.append(.event(.dtlsFailed(.protocolError("SRTP session: \(error)"))))
                }
            case .failed(let failure):
                setState(.failed)
                outputs.append(.event(.dtlsFailed(failure)))
            case .closed:
                setState(.closed)
            }
        }
    }

    private func setState(_ new: DTLSTransportState) {
        guard new != state else { return }
        state = new
        outputs.append(.event(.dtlsStateChanged(new)))
    }
}
