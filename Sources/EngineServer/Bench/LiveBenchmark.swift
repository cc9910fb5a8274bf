import ControlAPI
import DTLSSRTP
import Engine
import ICE
import WebRTCTransport
import EngineClient
import Foundation
import Histogram
import NIOCore
import NIOPosix

/// `sfulab bench live`: N participants on loopback, each sending a stamped audio stream at a
/// fixed rate and receiving everyone else's, first through an in-process engine server (real
/// sockets, control API, one room), then through a bare UDP relay with the same fan-out. The
/// participants measure what arrived and the one-way delay; the room reports engine latency
/// by stage and CPU per forwarded packet.
public struct LiveBenchmark {
    public struct Configuration: Sendable {
        public var participants = 5
        /// Packets per second each participant sends.
        public var rate = 50
        public var duration: Duration = .seconds(5)
        public var payloadBytes = 160
        public var profile = Profile()
        /// Also tap the room (docs/control-api.md, "Taps") into a local UDP receiver while it runs.
        public var tap = false
        /// Webrtc transports (ICE, DTLS, SRTP) instead of plain ones on the engine path; the relay
        /// path stays plain (the floor). The server and the participants run SRTP on the
        /// profile's `webRtcTransport.srtpBackend`.
        public var webrtc = false

        public init() {}
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Runs both paths, one after the other; blocks (never call it on an event loop).
    public func run() throws -> LiveBenchmarkReport {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let (engine, stats, tap, setupMillis) = try runEngine(loop: loop)
        let relay = try runRelay(loop: loop)
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        return LiveBenchmarkReport(
            participants: configuration.participants, workers: configuration.profile.worker.count, rate: configuration.rate,
            payloadBytes: configuration.payloadBytes, durationSeconds: configuration.duration.secondsDouble, engine: engine,
            relay: relay, engineLatency: stats.engineLatency, cpuNanosecondsPerForwardedPacket: stats.cpuNanosecondsPerForwardedPacket,
            tap: tap, build: build, security: configuration.webrtc ? "webrtc" : "plain", setupMillis: setupMillis,
            srtpBackend: configuration.webrtc ? srtpBackend.rawValue : nil, srtpLibrary: configuration.webrtc ? srtpBackend.libraryVersion : nil)
    }

    /// The SRTP library of the server's and the participants' webrtc transports.
    private var srtpBackend: SRTPBackend { SRTPBackend(configuration.profile.webRtcTransport.srtpBackend) }

    private func makeParticipants(loop: any EventLoop) throws -> [BenchParticipant] {
        try (0..<configuration.participants).map { try BenchParticipant(index: $0, loop: loop) }
    }

    private func runEngine(loop: any EventLoop) throws -> (LiveBenchmarkReport.Path, RoomStats, LiveBenchmarkReport.Tap?, [Double]?) {
        let server = try EngineServer.startBlocking(ServerConfiguration(profile: configuration.profile))
        defer { try? server.shutdownBlocking() }
        let client = try EngineClient(url: server.controlURL)
        defer { client.close() }
        let participants = try makeParticipants(loop: loop)
        defer { for participant in participants { try? participant.channel.close().wait() } }
        let room = "bench"
        let payloadType = try client.capabilities().codecs.first { $0.mimeType == "audio/opus" }?.payloadType ?? 100
        var transports: [TransportInfo] = []
        var producers: [Int] = []
        let dtls = configuration.webrtc ? try DTLSContext(certificate: try DTLSCertificate.generate(commonName: "sfulab-bench")) : nil
        var setupMillis: [Double]?
        for participant in participants {
            let transport: TransportInfo
            if let dtls {
                transport = try client.createTransport(room: room, type: .webrtc, protocol: .udp)
                let setup = try connectSecurely(participant, transport, dtls: dtls, client: client, room: room)
                setupMillis = (setupMillis ?? []) + [setup.milliseconds]
            } else {
                transport = try client.createTransport(room: room, protocol: .udp, comedia: false)
                try client.connectTransport(room: room, transport: transport.id, ip: "127.0.0.1", port: UInt16(participant.port))
            }
            producers.append(try client.produce(room: room, transport: transport.id, ProducerOptions(
                kind: .audio, mimeType: "audio/opus", payloadType: payloadType,
                encodings: [ProducerEncoding(ssrc: Self.ssrc(participant.index))])))
            transports.append(transport)
        }
        for (index, transport) in transports.enumerated() {
            for (other, producer) in producers.enumerated() where other != index {
                _ = try client.consume(room: room, transport: transport.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
            }
        }
        let receiver = configuration.tap ? try TapReceiver(host: "127.0.0.1", group: loop) : nil
        defer { receiver?.close() }
        let tap = try receiver.map { try client.createTap(room: room, ip: $0.ip, port: $0.port) }
        let destinations = try transports.map { try SocketAddress(ipAddress: "127.0.0.1", port: Int($0.port)) }
        let path = try drive(participants, loop: loop, payloadType: payloadType) { destinations[$0] }
        let stats = try client.roomStats(room: room)
        guard let receiver, let tap else { return (path, stats, nil, setupMillis) }
        let final = try client.closeTap(room: room, tap: tap.id)
        // Every frame is in the kernel once the tap answered; count what arrives within a second.
        var received = 0
        let deadline = Date(timeIntervalSinceNow: 1)
        while received < final.framesSent, Date() < deadline { received += receiver.take(until: deadline).count }
        return (path, stats, LiveBenchmarkReport.Tap(framesSent: final.framesSent, framesDropped: final.framesDropped, framesReceived: received),
                setupMillis)
    }

    /// Connects a participant's webrtc transport: `connect` with its DTLS parameters, then ICE and
    /// DTLS on its socket; returns the set-up time.
    private func connectSecurely(_ participant: BenchParticipant, _ transport: TransportInfo, dtls: DTLSContext,
                                 client: EngineClient, room: String) throws -> Duration {
        guard let ice = transport.iceParameters, let signalled = transport.dtlsParameters?.fingerprints.first else {
            throw BenchSetupError(description: "webrtc transport \(transport.id) came without iceParameters or dtlsParameters")
        }
        let tuple = ICETransportTuple(local: TransportAddress(ip: .loopbackV4, port: UInt16(participant.port)),
                                      remote: TransportAddress(ip: .loopbackV4, port: transport.port))
        let security = WebRTCClientSecurity(
            context: dtls, remoteCredentials: ICECredentials(usernameFragment: ice.usernameFragment, password: ice.password),
            remoteFingerprint: try DTLSFingerprint(algorithm: signalled.algorithm, value: signalled.value), tuple: tuple,
            random: SeededGenerator(seed: UInt64(participant.index) + 1), srtpBackend: srtpBackend)
        try client.connectTransport(room: room, transport: transport.id, dtlsParameters: DTLSParameters(
            role: security.signalledRole.rawValue,
            fingerprints: [DTLSFingerprintParameter(algorithm: security.fingerprint.algorithm.rawValue, value: security.fingerprint.value)]))
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: Int(transport.port))
        try participant.connect(UncheckedSendableBox(value: security), server: server).wait()
        return try participant.channel.eventLoop.submit { participant.setupTime ?? .zero }.wait()
    }

    private func runRelay(loop: any EventLoop) throws -> LiveBenchmarkReport.Path {
        let participants = try makeParticipants(loop: loop)
        defer { for participant in participants { try? participant.channel.close().wait() } }
        let relayGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? relayGroup.syncShutdownGracefully() }
        let addresses = try participants.map { try SocketAddress(ipAddress: "127.0.0.1", port: $0.port) }
        let relay = try BareUDPRelay(loop: relayGroup.next(), participants: addresses)
        defer { try? relay.channel.close().wait() }
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: relay.port)
        return try drive(participants, loop: loop, payloadType: 100) { _ in destination }
    }

    /// Every participant sends `rate` packets a second for `duration` (to `destination(index)`),
    /// then everything in flight gets 300 ms to arrive; returns what the participants measured.
    private func drive(_ participants: [BenchParticipant], loop: any EventLoop, payloadType: UInt8,
                       destination: @escaping @Sendable (Int) -> SocketAddress) throws -> LiveBenchmarkReport.Path {
        let interval = TimeAmount.nanoseconds(1_000_000_000 / Int64(max(1, configuration.rate)))
        let ticks = Int(configuration.duration.secondsDouble * Double(configuration.rate))
        let payloadBytes = configuration.payloadBytes
        let done = loop.makePromise(of: Void.self)
        let started = MonotonicClock.now()
        let sending = LoopBox(0)
        let task = loop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { task in
            guard sending.value < ticks else {
                task.cancel()
                loop.scheduleTask(in: .milliseconds(300)) { done.succeed() }
                return
            }
            sending.value += 1
            for participant in participants {
                participant.sendPacket(ssrc: Self.ssrc(participant.index), payloadType: payloadType, payloadBytes: payloadBytes,
                                       to: destination(participant.index))
            }
        }
        _ = task
        try done.futureResult.wait()
        let sendingSeconds = Double(MonotonicClock.now() - started) / 1e9 - 0.3
        return try loop.submit {
            var delays = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000_000,
                                           numberOfSignificantValueDigits: .three)
            delays.autoResize = true
            var sent = 0
            var received = 0
            for participant in participants {
                sent += participant.sent
                let measured = participant.received
                received += measured.count
                delays.add(measured.delays)
            }
            let expected = sent * (participants.count - 1)
            return LiveBenchmarkReport.Path(
                sent: sent, expected: expected, received: received,
                lossRatio: expected > 0 ? 1 - Double(received) / Double(expected) : 0,
                packetsPerSecond: Double(received) / max(sendingSeconds, 1e-9),
                oneWayP50Micros: Double(delays.valueAtPercentile(50)) / 1_000,
                oneWayP99Micros: Double(delays.valueAtPercentile(99)) / 1_000,
                oneWayMaxMicros: Double(delays.max) / 1_000)
        }.wait()
    }

    static func ssrc(_ index: Int) -> UInt32 { 0x5F00_0000 + UInt32(index) }
}

/// A value only touched on one event loop.
private final class LoopBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
