import ControlAPI
import DTLSSRTP
import Engine
import EngineClient
import Foundation
import Harness
import ICE
import WebRTCTransport

/// Live mode's `SessionControl`: signals the engine server over its control API
/// (docs/control-api.md) in one room, and opens the participant's socket behind each transport it
/// creates.
///
/// Set-up calls (`createTransport`, `produce`, `consume`) block on the server's answer and must
/// not run on an event loop; they run before the trial clock starts. The calls a recorded
/// workload makes during the trial (`pause…`, `resume…`) run on the load generator's event loop:
/// they are sent without waiting for the answer, and a failure is counted in `failedCalls`. A
/// device switch (`replaceProducerSource`) is answered on the loop: the publisher switches when
/// the server has bound the new SSRCs, or not at all when it does not answer within
/// `sourceReplacementTimeout` (counted in `failedCalls` and `failedSourceReplacements`).
/// State changes only during set-up (hence `@unchecked Sendable`).
final class LiveSessionControl: SessionControl, @unchecked Sendable {
    let client: EngineClient
    let room: String
    let transportProtocol: TransportProtocol
    let capabilities: RouterCapabilities
    /// Webrtc (ICE, DTLS, SRTP) or plain transports.
    let security: LiveSecurity
    /// The load generator's DTLS context (one certificate for every participant), for webrtc.
    private let dtls: DTLSContext?
    /// The participants' SRTP library: the profile's `webRtcTransport.srtpBackend`, as the server's.
    let srtpBackend: SRTPBackend
    private let driver: LiveDriver
    /// Host the participants' sockets bind to.
    private let host: String
    /// Video consumers created, in order (the layer series polls them).
    private(set) var videoConsumers: [ConsumerID] = []
    private let failures = FailureCount()
    private let failedReplacements = FailureCount()
    /// How long a device switch waits for the server to bind the new SSRCs.
    let sourceReplacementTimeout: Duration
    /// Device switches still waiting for the server's answer.
    private let pendingReplacements = DispatchGroup()

    /// Reads the server's capabilities; the payload types come from the server, the codec list
    /// from `profile` (the same profile the server was started with, in the usual case).
    init(client: EngineClient, room: String, protocol transportProtocol: TransportProtocol, driver: LiveDriver,
         profile: Profile, host: String = "127.0.0.1", security: LiveSecurity = .webrtc, sourceReplacementTimeout: Duration = .seconds(2)) throws {
        self.security = security
        srtpBackend = SRTPBackend(profile.webRtcTransport.srtpBackend)
        dtls = security == .webrtc ? try DTLSContext(certificate: try DTLSCertificate.generate(commonName: "sfulab-load-generator")) : nil
        self.client = client
        self.sourceReplacementTimeout = sourceReplacementTimeout
        self.room = room
        self.transportProtocol = transportProtocol
        self.driver = driver
        self.host = host
        let served = try client.capabilities()
        var capabilities = RouterCapabilities(router: profile.router)
        capabilities.codecs = capabilities.codecs.compactMap { codec in
            guard let remote = served.codecs.first(where: { $0.mimeType.lowercased() == codec.mimeType.lowercased() }) else { return nil }
            var matched = codec
            matched.payloadType = remote.payloadType
            matched.rtxPayloadType = remote.rtxPayloadType
            matched.clockRate = remote.clockRate
            return matched
        }
        self.capabilities = capabilities
    }

    /// Calls made during the trial that failed.
    var failedCalls: Int { failures.value }
    /// Device switches the server refused or did not answer in time (also in `failedCalls`).
    var failedSourceReplacements: Int { failedReplacements.value }

    func createTransport(for participant: Endpoint) throws -> (id: TransportID, local: Endpoint) {
        if let dtls { return try createWebRTCTransport(dtls) }
        // The server is told the socket's address (comedia off), so media flows to a subscriber
        // before it sends anything (a subscriber's first RTCP waits for its first packet).
        let info = try client.createTransport(room: room, protocol: transportProtocol, comedia: false)
        guard let address = Self.ipv4(info.ip) else {
            throw LiveTrialError.engine("transport \(info.id) listens on \(info.ip), which is not an IPv4 address this load generator can reach")
        }
        let engine = Endpoint(address: address, port: info.port)
        let localPort = try driver.open(engine: engine, protocol: transportProtocol, host: host).wait()
        try client.connectTransport(room: room, transport: info.id, ip: host, port: UInt16(localPort))
        return (TransportID(rawValue: info.id), engine)
    }

    /// A webrtc transport: its socket, `connect` with our DTLS parameters (client role), then the
    /// ICE check and the DTLS handshake, before the trial clock starts (docs/live-mode.md).
    private func createWebRTCTransport(_ dtls: DTLSContext) throws -> (id: TransportID, local: Endpoint) {
        let info = try client.createTransport(room: room, type: .webrtc, protocol: transportProtocol)
        guard let ice = info.iceParameters, let candidate = info.iceCandidates?.first,
              let signalled = info.dtlsParameters?.fingerprints.first else {
            throw LiveTrialError.engine("webrtc transport \(info.id) came without iceParameters, iceCandidates or dtlsParameters")
        }
        guard let address = Self.ipv4(candidate.ip), let ours = Self.ipv4(host) else {
            throw LiveTrialError.engine("transport \(info.id) listens on \(candidate.ip), which is not an IPv4 address this load generator can reach")
        }
        let engine = Endpoint(address: address, port: candidate.port)
        let localPort = try driver.open(engine: engine, protocol: transportProtocol, host: host).wait()
        let fingerprint: DTLSFingerprint
        do { fingerprint = try DTLSFingerprint(algorithm: signalled.algorithm, value: signalled.value) } catch {
            throw LiveTrialError.engine("transport \(info.id): dtlsParameters.fingerprints[0]: \(error)")
        }
        let tuple = ICETransportTuple(local: TransportAddress(ipv4: ours, port: UInt16(localPort)),
                                      remote: TransportAddress(ipv4: address, port: candidate.port),
                                      transport: transportProtocol == .udp ? .udp : .tcp)
        let layer = WebRTCClientSecurity(
            context: dtls, remoteCredentials: ICECredentials(usernameFragment: ice.usernameFragment, password: ice.password),
            remoteFingerprint: fingerprint, tuple: tuple, role: .client,
            random: SeededGenerator(seed: UInt64(info.id) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(localPort)), srtpBackend: srtpBackend)
        let local = DTLSFingerprintParameter(algorithm: layer.fingerprint.algorithm.rawValue, value: layer.fingerprint.value)
        try client.connectTransport(room: room, transport: info.id,
                                    dtlsParameters: DTLSParameters(role: layer.signalledRole.rawValue, fingerprints: [local]))
        _ = try driver.handshake(engine: engine, security: UncheckedTransfer(value: layer), timeout: .seconds(10)).wait()
        return (TransportID(rawValue: info.id), engine)
    }

    func produce(on transport: TransportID, _ options: ProducerOptions) throws -> ProducerID {
        ProducerID(rawValue: try client.produce(room: room, transport: transport.rawValue, options))
    }

    func consume(on transport: TransportID, _ options: ConsumerOptions) throws -> (ConsumerID, ConsumerParameters) {
        let info = try client.consume(room: room, transport: transport.rawValue, options)
        let id = ConsumerID(rawValue: info.id)
        if info.kind == .video { videoConsumers.append(id) }
        return (id, info.consumerParameters)
    }

    /// Sends the request and answers `finish` on the load generator's loop when the server has
    /// answered (at most `sourceReplacementTimeout`), with the trial time then: the publisher
    /// switches only after the server knows the new SSRCs, so none of its packets is dropped as
    /// an unknown SSRC. An error answer (e.g. 400, an SSRC in use) is `.refused`, as the engine's
    /// `ControlError` is in simulated mode (the workload draws other SSRCs); no answer (a broken
    /// connection, the timeout) is `.failed`. Each failed attempt is counted.
    func replaceProducerSource(_ id: ProducerID, encodings: [ProducerEncoding], now: Instant,
                               then finish: @escaping (SourceReplacementOutcome) -> Void) {
        let request = EngineRequest.replaceProducerSource(room: room, producer: id.rawValue, encodings: encodings)
        let driver = driver
        let failures = failures
        let failedReplacements = failedReplacements
        // Made and called on the loop; carried through the client's callback untouched.
        let finishOnLoop = UncheckedTransfer(value: finish)
        let pending = pendingReplacements
        pending.enter()
        client.submit(request, timeout: sourceReplacementTimeout).whenComplete { result in
            defer { pending.leave() }
            var failure: SourceReplacementOutcome?  // nil: bound, at the time the loop runs the answer
            if case .failure(let error) = result {
                failures.increment()
                failedReplacements.increment()
                // The server answered with an error: the engine refused (as a `ControlError` in
                // simulated mode, e.g. an SSRC in use). No answer: nothing to retry with.
                if case .server? = error as? EngineClientError { failure = .refused } else { failure = .failed }
            }
            let answer = failure
            driver.loop.execute {
                finishOnLoop.value(answer ?? .bound(at: driver.now()))
                driver.wake()
            }
        }
    }

    /// Waits (at most the switch deadline and a second) until every device switch has had its
    /// answer handed to the loop, so none arrives after the loop is shut down. Not on the loop.
    func waitForPendingSourceReplacements() {
        let limit = Double(sourceReplacementTimeout.nanoseconds) / 1e9 + 1
        _ = pendingReplacements.wait(timeout: .now() + limit)
    }

    func pauseProducer(_ id: ProducerID) {
        send(.pauseProducer(room: room, producer: id.rawValue))
    }

    func resumeProducer(_ id: ProducerID, now: Instant) {
        send(.resumeProducer(room: room, producer: id.rawValue))
    }

    func pauseConsumer(_ id: ConsumerID) {
        send(.pauseConsumer(room: room, consumer: id.rawValue))
    }

    func availableOutgoingBitrate(_ transport: TransportID) throws -> Bitrate {
        let stats = try client.transportStats(room: room, transport: transport.rawValue)
        return Bitrate(bitsPerSecond: Int64(stats.availableOutgoingBitrate))
    }

    private func send<Response: Sendable>(_ request: EngineRequest<Response>) {
        let failures = failures
        client.submit(request).whenFailure { _ in failures.increment() }
    }

    /// `a.b.c.d` as a host-order address.
    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.reduce(UInt32(0)) { $0 << 8 | UInt32($1!) }
    }
}

/// A counter shared between threads.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() { lock.withLock { count += 1 } }
}
