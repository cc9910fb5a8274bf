import CSRTP
import Engine

/// The measuring loop behind `sfulab bench srtp`: one sender and one receiver `SRTPSession` for a
/// profile and backend, RTP packets of a fixed size protected in place and unprotected in place, in batches
/// so that protect and unprotect are timed separately without a clock read per packet.
///
/// Keys are random (a handshake adds nothing to per-packet cost; `handshakeNanoseconds` times one).
public final class SRTPBenchmark {
    /// Times of one measured run.
    public struct Run: Sendable, Codable {
        /// Packets protected and then unprotected.
        public var packets: Int
        /// Nanoseconds spent in protectRTP over all packets.
        public var protectNanoseconds: Int64
        /// Nanoseconds spent in unprotectRTP over all packets.
        public var unprotectNanoseconds: Int64
    }

    /// The profile measured.
    public let profile: SRTPProfile
    /// The backend measured.
    public let backend: SRTPBackend
    /// RTP packet size before protection (header included).
    public let packetSize: Int

    private let sender: SRTPSession
    private let receiver: SRTPSession
    private let rawSender: srtp_t
    private let rawReceiver: srtp_t
    private let template: [UInt8]
    private let slotSize: Int
    private let batch: Int
    private let slots: UnsafeMutableRawBufferPointer
    /// Protected lengths of the batch in flight (made once: the loop itself allocates nothing).
    private let lengths: UnsafeMutablePointer<Int>
    private var sequence: UInt16 = 0
    private var rawSequence: UInt16 = 0

    /// A benchmark of `profile` on `backend` on RTP packets of `packetSize` bytes (12-byte header
    /// included), processed in batches of `batch`.
    public init(profile: SRTPProfile, packetSize: Int = 1200, batch: Int = 256, backend: SRTPBackend = .libsrtp2) throws(SRTPError) {
        guard packetSize >= 12 else { throw .tooShort(length: packetSize) }
        self.profile = profile
        self.backend = backend
        self.packetSize = packetSize
        self.batch = max(1, batch)
        var generator = SystemRandomNumberGenerator()
        let length = profile.masterKeyLength + profile.masterSaltLength
        let client = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let server = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let keys = SRTPKeyingMaterial(profile: profile, localRole: .client, clientKeyAndSalt: client, serverKeyAndSalt: server)!
        sender = try SRTPSession(keys: keys, backend: backend)
        receiver = try SRTPSession(keys: keys.peer, backend: backend)
        rawSender = try SRTPSession.makeContext(profile: profile, keyAndSalt: client, direction: ssrc_any_outbound,
                                                replayWindow: 1024, allowRepeatTransmission: true)
        rawReceiver = try SRTPSession.makeContext(profile: profile, keyAndSalt: client, direction: ssrc_any_inbound,
                                                  replayWindow: 1024, allowRepeatTransmission: false)
        var packet: [UInt8] = [0x80, 96, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44]
        packet += (0..<(packetSize - 12)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        template = packet
        slotSize = (packetSize + profile.rtcpOverhead + 63) & ~63
        slots = .allocate(byteCount: slotSize * self.batch, alignment: 64)
        lengths = .allocate(capacity: self.batch)
        lengths.initialize(repeating: 0, count: self.batch)
    }

    /// A benchmark of a profile given by payload bytes after the 12-byte header.
    public convenience init(profile: SRTPProfile, payloadSize: Int, backend: SRTPBackend = .libsrtp2) throws(SRTPError) {
        try self.init(profile: profile, packetSize: payloadSize + 12, backend: backend)
    }

    deinit {
        slots.deallocate()
        lengths.deallocate()
        srtp_dealloc(rawSender)
        srtp_dealloc(rawReceiver)
    }

    /// Runs enough packets for the streams to exist on both sides (libsrtp2 clones a template on
    /// an SSRC's first packet; the OpenSSL backend makes its per-SSRC state).
    public func warmUp() {
        _ = try? roundTrips(count: 2 * batch)
        _ = try? rawLibsrtpRoundTrips(count: 2 * batch)
    }

    /// Protects then unprotects `count` packets through `SRTPSession` on the benchmark's backend;
    /// returns the packets that came back intact.
    public func roundTrips(count: Int) throws(SRTPError) -> Int {
        var intact = 0
        for _ in 0..<count {
            let slot = slotAt(0)
            fill(slot, sequence: sequence)
            sequence &+= 1
            let protected = try sender.protectRTP(slot, length: packetSize)
            let length = try receiver.unprotectRTP(slot, length: protected)
            if length == packetSize && slot.load(fromByteOffset: 12, as: UInt8.self) == template[12] { intact += 1 }
        }
        return intact
    }

    /// The same loop as `roundTrips` calling libsrtp2 directly, as a baseline for allocation tests.
    public func rawLibsrtpRoundTrips(count: Int) throws(SRTPError) -> Int {
        var intact = 0
        for _ in 0..<count {
            let slot = slotAt(0)
            fill(slot, sequence: rawSequence)
            rawSequence &+= 1
            var length = Int32(packetSize)
            guard srtp_protect(rawSender, slot.baseAddress, &length) == srtp_err_status_ok,
                  srtp_unprotect(rawReceiver, slot.baseAddress, &length) == srtp_err_status_ok else { throw .library(status: -1) }
            if Int(length) == packetSize { intact += 1 }
        }
        return intact
    }

    /// Protects `packets` packets (in batches), then unprotects them, timing each phase; throws
    /// if a packet does not come back as it was sent.
    public func measure(packets: Int) throws(SRTPError) -> Run {
        let clock = ContinuousClock()
        var run = Run(packets: 0, protectNanoseconds: 0, unprotectNanoseconds: 0)
        while run.packets < packets {
            let count = min(batch, packets - run.packets)
            for index in 0..<count {
                fill(slotAt(index), sequence: sequence)
                sequence &+= 1
            }
            let protectStart = clock.now
            for index in 0..<count {
                lengths[index] = try sender.protectRTP(slotAt(index), length: packetSize)
            }
            let unprotectStart = clock.now
            for index in 0..<count {
                lengths[index] = try receiver.unprotectRTP(slotAt(index), length: lengths[index])
            }
            let end = clock.now
            // Outside the timed phases: every packet came back at its original size and payload.
            for index in 0..<count where lengths[index] != packetSize
                || slotAt(index).load(fromByteOffset: packetSize - 1, as: UInt8.self) != template[packetSize - 1] {
                throw .malformed
            }
            run.protectNanoseconds += (unprotectStart - protectStart).nanoseconds
            run.unprotectNanoseconds += (end - unprotectStart).nanoseconds
            run.packets += count
        }
        return run
    }

    /// Wall time of one complete in-memory DTLS 1.2 handshake (both endpoints, ECDSA P-256,
    /// certificates already generated) negotiating `profile`.
    public static func handshakeNanoseconds(profile: SRTPProfile, certificates: (DTLSCertificate, DTLSCertificate)) throws -> Int64 {
        let clock = ContinuousClock()
        let started = clock.now
        let client = try DTLSEndpoint(context: DTLSContext(certificate: certificates.0, profiles: [profile]), role: .client,
                                      remoteFingerprint: certificates.1.fingerprint)
        let server = try DTLSEndpoint(context: DTLSContext(certificate: certificates.1, profiles: [profile]), role: .server,
                                      remoteFingerprint: certificates.0.fingerprint)
        let now = Instant.zero
        client.start(now: now)
        server.start(now: now)
        for _ in 0..<50 where client.state != .connected || server.state != .connected {
            while let datagram = client.pollTransmit() { server.handle(datagram: datagram, now: now) }
            while let datagram = server.pollTransmit() { client.handle(datagram: datagram, now: now) }
            if client.state == .failed || server.state == .failed { break }
        }
        guard client.state == .connected, server.state == .connected, client.keys?.profile == profile else {
            throw SRTPError.library(status: -2)
        }
        return (clock.now - started).nanoseconds
    }

    private func slotAt(_ index: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: slots[(index * slotSize)..<((index + 1) * slotSize)])
    }

    private func fill(_ slot: UnsafeMutableRawBufferPointer, sequence: UInt16) {
        template.withUnsafeBytes { slot.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        slot.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
        slot.storeBytes(of: (UInt32(sequence) &* 960).bigEndian, toByteOffset: 4, as: UInt32.self)
    }
}

