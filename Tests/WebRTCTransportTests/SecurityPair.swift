import DTLSSRTP
import Engine
import ICE
import WebRTCTransport

/// A server and a client security layer wired together in memory: `pump` moves every datagram
/// each side queues to the other until both are quiet.
final class SecurityPair {
    static let serverAddress = TransportAddress(ip: .loopbackV4, port: 40_000)
    static let clientAddress = TransportAddress(ip: .loopbackV4, port: 50_000)
    static let serverTuple = ICETransportTuple(local: serverAddress, remote: clientAddress)
    static let clientTuple = ICETransportTuple(local: clientAddress, remote: serverAddress)

    let server: WebRTCServerSecurity
    let client: WebRTCClientSecurity
    var serverEvents: [WebRTCSecurityEvent] = []
    var clientEvents: [WebRTCSecurityEvent] = []
    /// Media each side received, decrypted.
    var serverMedia: [[UInt8]] = []
    var clientMedia: [[UInt8]] = []
    var now = Instant.zero

    /// `signalledFingerprint`: what the client tells the server (default: the client's real one);
    /// `serverFingerprintSeenByClient` likewise; `clientPassword` overrides the ICE password the
    /// client uses.
    init(signalledFingerprint: DTLSFingerprint? = nil, serverFingerprintSeenByClient: DTLSFingerprint? = nil,
         clientPassword: String? = nil, role: DTLSRole = .client) throws {
        var generator = SeededGenerator(seed: 7)
        server = WebRTCServerSecurity(context: try Self.serverContext(), generator: &generator)
        var credentials = server.iceCredentials
        if let clientPassword { credentials.password = clientPassword }
        client = WebRTCClientSecurity(context: try Self.clientContext(), remoteCredentials: credentials,
                                      remoteFingerprint: serverFingerprintSeenByClient ?? server.fingerprint,
                                      tuple: Self.clientTuple, role: role, random: SeededGenerator(seed: 9))
        try server.connect(remoteRole: client.signalledRole, remoteFingerprint: signalledFingerprint ?? client.fingerprint, now: now)
    }

    static func serverContext() throws -> DTLSContext { try DTLSContext(certificate: try DTLSCertificate.shared()) }
    static func clientContext() throws -> DTLSContext {
        try DTLSContext(certificate: try DTLSCertificate.generate(commonName: "client"))
    }

    func start() {
        client.start(now: now)
        pump()
    }

    /// Delivers queued datagrams both ways until neither side has anything left (bounded).
    func pump() {
        for _ in 0..<100 {
            var moved = false
            while let output = client.poll() {
                switch output {
                case .transmit(_, let bytes):
                    moved = true
                    let (result, plain) = server.handle(bytes, on: Self.serverTuple, now: now)
                    if result.mediaLength != nil { serverMedia.append(plain) }
                case .event(let event): clientEvents.append(event)
                }
            }
            while let output = server.poll() {
                switch output {
                case .transmit(let tuple, let bytes):
                    moved = true
                    precondition(tuple == Self.serverTuple)
                    let (result, plain) = client.handle(bytes, now: now)
                    if result.mediaLength != nil { clientMedia.append(plain) }
                case .event(let event): serverEvents.append(event)
                }
            }
            if !moved { return }
        }
    }
}

/// A minimal RTP packet: version 2, payload type 96, the given sequence number and SSRC.
func rtpPacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: Int = 100) -> [UInt8] {
    var bytes: [UInt8] = [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0]
    bytes += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
    bytes += (0..<payload).map { UInt8(truncatingIfNeeded: $0) }
    return bytes
}

/// An RTCP receiver report without report blocks.
func rtcpPacket(ssrc: UInt32 = 0xCAFE_0001) -> [UInt8] {
    [0x80, 201, 0, 1, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
}
