@preconcurrency import Glibc
import COpenSSL
import Engine

/// One side of a DTLS 1.2 handshake for DTLS-SRTP (RFC 6347, RFC 5764), sans-IO: it never
/// touches a socket. Feed it received datagrams with `handle(datagram:now:)`, send what
/// `pollTransmit()` returns (whole datagrams, each at most `mtu` bytes), read outcomes from
/// `pollEvent()`, and call `handleTimeout(now:)` at `nextDeadline(now:)`.
///
/// Clock: OpenSSL times its retransmissions with its own wall clock (`gettimeofday`), not the
/// `Instant`s passed in. `nextDeadline(now:)` turns OpenSSL's remaining time into an `Instant`
/// relative to `now`, and `handleTimeout` retransmits only if OpenSSL's own timer has expired.
/// That is right for live mode, where `now` is a monotonic reading; simulated mode does not run
/// this class but models the handshake as the round trips it takes (DESIGN.md).
///
/// Not thread-safe: confine an endpoint to one event loop. Not Sendable.
public final class DTLSEndpoint {
    /// Lifecycle of the endpoint.
    public enum State: Equatable, Sendable {
        /// Created; `start` not called yet.
        case new
        /// Handshake under way.
        case connecting
        /// Handshake done; keys delivered.
        case connected
        /// Failed (see the `.failed` event).
        case failed
        /// Closed by either side's close_notify.
        case closed
    }

    /// This endpoint's resolved role.
    public let role: DTLSRole
    /// The link MTU: the largest datagram `pollTransmit` returns.
    public let mtu: Int
    /// Where the endpoint is.
    public private(set) var state: State = .new
    /// What the endpoint counted.
    public private(set) var counters = DTLSCounters()
    /// The negotiated keys once connected.
    public private(set) var keys: SRTPKeyingMaterial?

    private let context: DTLSContext
    private let ssl: OpaquePointer
    private let io: DatagramBIOState
    private var events: [DTLSEvent] = []
    private var eventHead = 0

    /// A client or server endpoint (resolve `auto` first with `DTLSRole.resolved(remote:)`)
    /// that accepts only a peer certificate with `remoteFingerprint`.
    /// - Parameters:
    ///   - mtu: link MTU in bytes (256...65507; 1200 keeps DTLS flights under any path MTU).
    ///   - initialRetransmissionTimeout: first retransmission timeout, 20 ms...60 s (doubling up
    ///     to 60 s; libwebrtc starts at 50 ms); nil keeps OpenSSL's 1 s. OpenSSL counts a timer
    ///     with under 15 ms left as expired and fires expired timers whenever it reads, so
    ///     shorter first timeouts retransmit inside the very call that sent the flight.
    public init(context: DTLSContext, role: DTLSRole, remoteFingerprint: DTLSFingerprint, mtu: Int = 1200,
                initialRetransmissionTimeout: Duration? = nil) throws(DTLSError) {
        guard role != .auto else { throw .unresolvedRole }
        guard (256...65_507).contains(mtu) else { throw .invalidMTU(mtu) }
        if let timeout = initialRetransmissionTimeout, !(Duration.milliseconds(20)...Duration.seconds(60)).contains(timeout) {
            throw .invalidRetransmissionTimeout(timeout)
        }
        guard let method = DatagramBIO.method else { throw DTLSError.openSSL("BIO_meth_new") }
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else { throw DTLSError.openSSL("SSL_new") }
        guard let bio = BIO_new(method) else {
            SSL_free(ssl)
            throw DTLSError.openSSL("BIO_new(datagram)")
        }
        let microseconds = initialRetransmissionTimeout.map { timeout -> UInt32 in
            UInt32(clamping: timeout.nanoseconds / 1_000)
        }
        self.context = context
        self.role = role
        self.mtu = mtu
        self.ssl = ssl
        self.io = DatagramBIOState(mtu: mtu, initialTimeoutMicroseconds: microseconds, expectedFingerprint: remoteFingerprint)
        let opaque = Unmanaged.passUnretained(io).toOpaque()
        BIO_set_data(bio, opaque)
        SSL_set_bio(ssl, bio, bio)  // the SSL owns the BIO from here
        _ = SSL_set_ex_data(ssl, 0, opaque)
        _ = SSL_set_options(ssl, UInt64(sfulab_SSL_OP_NO_QUERY_MTU()))
        _ = sfulab_DTLS_set_link_mtu(ssl, mtu)
        if microseconds != nil { DTLS_set_timer_cb(ssl, DTLSEndpoint.retransmissionTimer) }
        if role == .client { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
    }

    deinit { SSL_free(ssl) }

    /// RFC 7983 §7 demultiplexing on one socket: whether a datagram starting with `firstByte` is DTLS.
    public static func isDTLS(firstByte: UInt8) -> Bool { DTLSRecordFraming.isDTLS(firstByte: firstByte) }

    /// Starts the handshake: a client queues its ClientHello; a server waits for one.
    public func start(now: Instant) {
        guard state == .new else { return }
        state = .connecting
        if role == .client { advance() }
    }

    /// Handles one received datagram (a server starts on its first ClientHello).
    public func handle(datagram: UnsafeRawBufferPointer, now: Instant) {
        counters.datagramsReceived += 1
        if state == .failed || state == .closed {
            counters.datagramsAfterFinish += 1
            return
        }
        guard DTLSRecordFraming.isWellFormed(datagram) else {
            counters.malformedDatagrams += 1
            return
        }
        if state == .new { state = .connecting }
        io.incoming = datagram
        defer { io.incoming = nil }
        advance()
    }

    /// Handles one received datagram held in an array.
    public func handle(datagram: [UInt8], now: Instant) {
        datagram.withUnsafeBytes { handle(datagram: $0, now: now) }
    }

    /// The next datagram to send, or nil when none is waiting.
    public func pollTransmit() -> [UInt8]? {
        guard io.outgoingHead < io.outgoing.count else {
            if !io.outgoing.isEmpty { io.outgoing.removeAll(keepingCapacity: true); io.outgoingHead = 0 }
            return nil
        }
        let datagram = io.outgoing[io.outgoingHead]
        io.outgoingHead += 1
        counters.datagramsSent += 1
        return datagram
    }

    /// The next event, or nil when none is waiting.
    public func pollEvent() -> DTLSEvent? {
        guard eventHead < events.count else { return nil }
        let event = events[eventHead]
        eventHead += 1
        if eventHead == events.count { events.removeAll(keepingCapacity: true); eventHead = 0 }
        return event
    }

    /// When `handleTimeout` should run next: OpenSSL's retransmission timer, as `now` plus the
    /// time OpenSSL says remains; nil while no timer runs (idle server, connected, finished).
    public func nextDeadline(now: Instant) -> Instant? {
        guard state == .connecting || state == .connected else { return nil }
        var remaining = timeval()
        guard sfulab_DTLSv1_get_timeout(ssl, &remaining) == 1 else { return nil }
        return now + .seconds(Int64(remaining.tv_sec)) + .microseconds(Int64(remaining.tv_usec))
    }

    /// Retransmits the last flight if OpenSSL's timer has expired; fails the endpoint once
    /// OpenSSL gives up (12 timeouts).
    public func handleTimeout(now: Instant) {
        guard state == .connecting || state == .connected else { return }
        ERR_clear_error()
        let result = sfulab_DTLSv1_handle_timeout(ssl)
        if result > 0 {
            counters.retransmissionTimeouts += 1
        } else if result < 0 {
            let detail = DTLSError.drainOpenSSLErrors()
            fail(detail.contains("timeout") || detail == "no detail" ? .timedOut : .protocolError(detail))
        }
    }

    /// Sends close_notify and finishes the endpoint (no event: the caller closed it).
    public func close(now: Instant) {
        guard state == .connecting || state == .connected else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        state = .closed
    }

    /// The peer certificate's fingerprint once verified.
    public var remoteFingerprint: DTLSFingerprint? { io.verifiedFingerprint }

    // MARK: - Driving OpenSSL

    /// Runs the handshake or reads records until OpenSSL wants more input.
    private func advance() {
        ERR_clear_error()
        if state == .connecting {
            let result = SSL_do_handshake(ssl)
            if result == 1 {
                completeHandshake()
            } else {
                handleError(SSL_get_error(ssl, result))
            }
        }
        if state == .connected { readRecords() }
    }

    /// After the handshake: alerts (close_notify), retransmitted peer flights, stray application data.
    private func readRecords() {
        var scratch = [UInt8](repeating: 0, count: 2048)
        while state == .connected {
            let read = SSL_read(ssl, &scratch, Int32(scratch.count))
            if read > 0 {
                counters.applicationDataIgnored += 1
                continue
            }
            let error = SSL_get_error(ssl, read)
            if error == SSL_ERROR_ZERO_RETURN {
                state = .closed
                events.append(.closed)
                return
            }
            handleError(error)
            return
        }
    }

    private func handleError(_ error: Int32) {
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        default:
            if let received = io.mismatchedFingerprint {
                counters.fingerprintMismatches += 1
                fail(.fingerprintMismatch(expected: io.expectedFingerprint, received: received), counted: false)
            } else {
                fail(.protocolError(DTLSError.drainOpenSSLErrors()))
            }
        }
    }

    private func completeHandshake() {
        guard io.verifiedFingerprint != nil else {
            // Unreachable with SSL_VERIFY_FAIL_IF_NO_PEER_CERT, kept as a guard against a peer without a certificate.
            fail(.protocolError("the peer presented no certificate"))
            return
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
              let profile = SRTPProfile(identifier: UInt16(truncatingIfNeeded: selected.pointee.id)) else {
            fail(.noCommonSRTPProfile)
            return
        }
        var exported = [UInt8](repeating: 0, count: profile.keyingMaterialLength)
        let label = "EXTRACTOR-dtls_srtp"
        guard SSL_export_keying_material(ssl, &exported, exported.count, label, label.utf8.count, nil, 0, 0) == 1,
              let keys = SRTPKeyingMaterial(profile: profile, localRole: role, exported: exported) else {
            fail(.keyExportFailed(DTLSError.drainOpenSSLErrors()))
            return
        }
        self.keys = keys
        state = .connected
        events.append(.connected(profile: profile, keys: keys))
    }

    private func fail(_ failure: DTLSFailure, counted: Bool = true) {
        if counted { counters.failures += 1 }
        state = .failed
        events.append(.failed(failure))
    }

    /// DTLS_set_timer_cb: the first timeout from the endpoint, then doubling up to 60 s
    /// (OpenSSL's own schedule from a different start).
    private static let retransmissionTimer: @convention(c) (OpaquePointer?, UInt32) -> UInt32 = { ssl, previous in
        let initial = DatagramBIOState.from(SSL_get_ex_data(ssl, 0))?.initialTimeoutMicroseconds ?? 1_000_000
        return previous == 0 ? initial : min(previous &* 2, 60_000_000)
    }
}
