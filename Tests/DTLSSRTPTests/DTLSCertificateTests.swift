import DTLSSRTP
import Testing

@Suite struct DTLSCertificateTests {
    @Test func generatedCertificateHasAnSDPFingerprint() throws {
        let certificate = try DTLSCertificate.shared()
        let fingerprint = certificate.fingerprint
        #expect(fingerprint.algorithm == .sha256)
        #expect(fingerprint.digest.count == 32)
        // "AB:CD:..." — 32 upper-case hex pairs.
        #expect(fingerprint.value.count == 32 * 3 - 1)
        #expect(fingerprint.value.allSatisfy { "0123456789ABCDEF:".contains($0) })
        #expect(fingerprint.description == "sha-256 " + fingerprint.value)
        #expect(try DTLSFingerprint(sdp: fingerprint.description) == fingerprint)
        #expect(try DTLSFingerprint(algorithm: "SHA-256", value: fingerprint.value.lowercased()) == fingerprint)
        #expect(certificate.fingerprint(.sha1).digest.count == 20)
        #expect(try DTLSCertificate.shared() === certificate, "one certificate per process")
    }

    @Test func certificatesDiffer() throws {
        let first = try DTLSCertificate.generate()
        let second = try DTLSCertificate.generate()
        #expect(first.fingerprint != second.fingerprint)
    }

    @Test func pemRoundTripKeepsTheFingerprintAndWorksInAHandshake() throws {
        let original = try DTLSCertificate.generate(commonName: "pem-test")
        #expect(original.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(original.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try DTLSCertificate.load(certificatePEM: original.certificatePEM, privateKeyPEM: original.privateKeyPEM)
        #expect(loaded.fingerprint == original.fingerprint)
        // The loaded certificate serves a handshake.
        let peer = try DTLSCertificate.shared()
        let server = try DTLSEndpoint(context: DTLSContext(certificate: loaded), role: .server, remoteFingerprint: peer.fingerprint)
        let client = try DTLSEndpoint(context: DTLSContext(certificate: peer), role: .client, remoteFingerprint: original.fingerprint)
        client.start(now: .zero)
        for _ in 0..<20 {
            while let datagram = client.pollTransmit() { server.handle(datagram: datagram, now: .zero) }
            while let datagram = server.pollTransmit() { client.handle(datagram: datagram, now: .zero) }
        }
        #expect(client.state == .connected && server.state == .connected)
    }

    @Test func badPEMAndMismatchedKeysAreRejected() throws {
        let one = try DTLSCertificate.generate()
        let other = try DTLSCertificate.generate()
        #expect(throws: DTLSError.self) { try DTLSCertificate.load(certificatePEM: "not pem", privateKeyPEM: one.privateKeyPEM) }
        #expect(throws: DTLSError.self) { try DTLSCertificate.load(certificatePEM: one.certificatePEM, privateKeyPEM: "") }
        #expect(throws: DTLSError.invalidPEM("the private key does not match the certificate")) {
            try DTLSCertificate.load(certificatePEM: one.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
    }

    @Test(arguments: ["sha-256 AB:CD", "md5 AB:CD", "sha-256", "sha-256 " + String(repeating: "ZZ:", count: 31) + "ZZ",
                      "sha-256 " + String(repeating: "A:", count: 31) + "AB"])
    func badFingerprintsAreRejected(text: String) {
        #expect(throws: DTLSError.invalidFingerprint(text)) { try DTLSFingerprint(sdp: text) }
    }
}
