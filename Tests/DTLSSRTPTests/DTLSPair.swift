import DTLSSRTP
import Engine

/// A client and a server endpoint joined in memory: `pump` carries datagrams both ways until
/// neither has anything to send, optionally dropping some.
final class DTLSPair {
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    var clientEvents: [DTLSEvent] = []
    var serverEvents: [DTLSEvent] = []
    let now = Instant.seconds(1)

    init(clientProfiles: [SRTPProfile] = SRTPProfile.defaultPreference,
         serverProfiles: [SRTPProfile] = SRTPProfile.defaultPreference,
         clientExpects: DTLSFingerprint? = nil, serverExpects: DTLSFingerprint? = nil,
         initialRetransmissionTimeout: Duration? = nil) throws {
        let clientCertificate = try DTLSCertificate.shared()
        let serverCertificate = try TestCertificates.second()
        client = try DTLSEndpoint(context: DTLSContext(certificate: clientCertificate, profiles: clientProfiles), role: .client,
                                  remoteFingerprint: clientExpects ?? serverCertificate.fingerprint,
                                  initialRetransmissionTimeout: initialRetransmissionTimeout)
        server = try DTLSEndpoint(context: DTLSContext(certificate: serverCertificate, profiles: serverProfiles), role: .server,
                                  remoteFingerprint: serverExpects ?? clientCertificate.fingerprint,
                                  initialRetransmissionTimeout: initialRetransmissionTimeout)
    }

    /// Starts both and exchanges datagrams until quiet; `drop` decides per datagram (sender is client?, index).
    func run(drop: (Bool, Int) -> Bool = { _, _ in false }) {
        client.start(now: now)
        server.start(now: now)
        pump(drop: drop)
    }

    /// Exchanges datagrams until neither side sends (bounded: 100 rounds).
    func pump(drop: (Bool, Int) -> Bool = { _, _ in false }) {
        var sent = 0
        for _ in 0..<100 {
            var moved = false
            while let datagram = client.pollTransmit() {
                moved = true
                if !drop(true, sent) { server.handle(datagram: datagram, now: now) }
                sent += 1
            }
            while let datagram = server.pollTransmit() {
                moved = true
                if !drop(false, sent) { client.handle(datagram: datagram, now: now) }
                sent += 1
            }
            drainEvents()
            if !moved { return }
        }
    }

    func drainEvents() {
        while let event = client.pollEvent() { clientEvents.append(event) }
        while let event = server.pollEvent() { serverEvents.append(event) }
    }
}

/// A second certificate shared by the tests (the first is `DTLSCertificate.shared()`).
enum TestCertificates {
    private static let secondCertificate: Result<DTLSCertificate, DTLSError> = {
        Result { () throws(DTLSError) in try DTLSCertificate.generate(commonName: "sfulab-test-peer") }
    }()

    static func second() throws -> DTLSCertificate { try secondCertificate.get() }
}
