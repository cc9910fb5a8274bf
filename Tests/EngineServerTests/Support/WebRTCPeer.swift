import ControlAPI
import DTLSSRTP
import Engine
import EngineClient
import Foundation
import ICE
import WebRTCTransport

/// A test participant on a webrtc transport: a UDP or TCP socket on 127.0.0.1 and the client
/// security layer (ICE check, DTLS client, SRTP), driven from the test's thread. Every wait has
/// a deadline; nothing sleeps.
final class WebRTCPeer {
    let info: TransportInfo
    let security: WebRTCClientSecurity
    private let udp: UDPPeer?
    private let tcp: TCPPeer?
    private var consumed = 0
    private let origin = DispatchTime.now().uptimeNanoseconds
    /// Decrypted RTP packets received.
    private(set) var media: [[UInt8]] = []

    /// Creates a webrtc transport in `room` and connects it with our DTLS parameters (or with
    /// `signalledFingerprint` instead of ours, to make the handshake fail); SRTP runs on `srtpBackend`.
    init(_ fixture: ServerFixture, room: String, protocol transport: TransportProtocol, seed: UInt64 = 1,
         signalledFingerprint: DTLSFingerprintParameter? = nil, srtpBackend: SRTPBackend = .libsrtp2) throws {
        let client = fixture.client
        info = try client.createTransport(room: room, type: .webrtc, protocol: transport)
        guard let ice = info.iceParameters, let dtls = info.dtlsParameters, let first = dtls.fingerprints.first,
              let candidate = info.iceCandidates?.first else {
            throw WebRTCPeerError(description: "a webrtc TransportInfo without iceParameters, iceCandidates or dtlsParameters: \(info)")
        }
        let localPort: UInt16
        switch transport {
        case .udp:
            udp = try UDPPeer(group: fixture.peers)
            tcp = nil
            localPort = udp!.port
        case .tcp:
            tcp = try TCPPeer(group: fixture.peers, port: candidate.port)
            udp = nil
            localPort = tcp!.localPort
        }
        let tuple = ICETransportTuple(local: TransportAddress(ip: .loopbackV4, port: localPort),
                                      remote: TransportAddress(ip: .loopbackV4, port: candidate.port),
                                      transport: transport == .udp ? .udp : .tcp)
        let context = try DTLSContext(certificate: try DTLSCertificate.generate(commonName: "peer"))
        security = WebRTCClientSecurity(
            context: context, remoteCredentials: ICECredentials(usernameFragment: ice.usernameFragment, password: ice.password),
            remoteFingerprint: try DTLSFingerprint(algorithm: first.algorithm, value: first.value), tuple: tuple, role: .client,
            random: SeededGenerator(seed: seed), srtpBackend: srtpBackend)
        let ours = DTLSFingerprintParameter(algorithm: security.fingerprint.algorithm.rawValue, value: security.fingerprint.value)
        try client.connectTransport(room: room, transport: info.id,
                                    dtlsParameters: DTLSParameters(role: security.signalledRole.rawValue, fingerprints: [signalledFingerprint ?? ours]))
    }

    var now: Instant { Instant(nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - origin)) }

    /// Runs ICE and DTLS until DTLS is connected or failed, or `timeout` passes; returns the DTLS state.
    @discardableResult
    func connect(timeout: TimeInterval = 10) throws -> DTLSTransportState {
        security.start(now: now)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            try flush()
            if security.dtlsState == .connected || security.dtlsState == .failed { break }
            let wait = min(0.05, max(0.001, (security.nextDeadline(now: now).map { Double(($0 - now).nanoseconds) / 1e9 }) ?? 0.05))
            inbox.wait(timeout: wait) { $0.count > consumed }
            process()
            if let due = security.nextDeadline(now: now), due <= now { security.handleTimeout(now: now) }
        }
        try flush()
        return security.dtlsState
    }

    /// Protects and sends an RTP packet; false when the layer refused it (no keys).
    @discardableResult
    func send(rtp packet: [UInt8]) throws -> Bool {
        guard let protected = security.protect(packet, rtcp: false) else { return false }
        try sendRaw(protected)
        return true
    }

    /// Sends bytes as they are (garbage, plaintext).
    func sendRaw(_ bytes: [UInt8]) throws {
        if let udp { try udp.send(bytes, toPort: info.port) } else { try tcp!.send(bytes) }
    }

    /// Waits (bounded) until the decrypted RTP packets satisfy `predicate`; returns them.
    @discardableResult
    func waitForMedia(timeout: TimeInterval = 10, until predicate: ([[UInt8]]) -> Bool) throws -> [[UInt8]] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        process()
        while !predicate(media), Date() < deadline {
            inbox.wait(timeout: max(0.001, min(0.1, deadline.timeIntervalSinceNow))) { $0.count > consumed }
            process()
            try flush()
        }
        return media
    }

    /// Waits `seconds` on the socket without running the client's timers or answering anything:
    /// no consent refresh goes out meanwhile.
    func stayQuiet(for seconds: TimeInterval) {
        _ = inbox.wait(timeout: seconds) { _ in false }
    }

    func close() {
        udp?.close()
        tcp?.close()
    }

    private var inbox: Inbox { udp?.inbox ?? tcp!.inbox }

    /// Hands every new datagram to the security layer.
    private func process() {
        let packets = inbox.all
        while consumed < packets.count {
            let (result, plain) = security.handle(packets[consumed], now: now)
            if case .rtp = result { media.append(plain) }
            consumed += 1
        }
    }

    /// Sends what the security layer queued.
    private func flush() throws {
        while let output = security.poll() {
            if case .transmit(_, let bytes) = output { try sendRaw(bytes) }
        }
    }
}

struct WebRTCPeerError: Error, CustomStringConvertible {
    var description: String
}
