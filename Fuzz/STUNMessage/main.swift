// libFuzzer target: STUN parse, canonical rebuild, integrity, and the ICE-lite agent and the
// controlling checker on arbitrary input. Built together with Sources/ICE/*.swift by
// scripts/fuzz.sh (one module, no import; Fuzz/STUNMessage/module names the module).

let fuzzTuple = ICETransportTuple(
    local: TransportAddress(ip: .loopbackV4, port: 40_000), remote: TransportAddress(ip: .loopbackV4, port: 50_000))
/// A fixed-seed generator, so that a crash input replays identically.
struct FuzzRandom: RandomNumberGenerator {
    var state: UInt64 = 0x5354_554E
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

let fuzzCredentials = ICECredentials(usernameFragment: "fuzz", password: "fuzzpassword0000000000")

/// `input` padded to a multiple of 4 with MESSAGE-INTEGRITY (the fuzz password) and FINGERPRINT
/// appended and the length field fixed, so that the agents' checks past the fingerprint and
/// the integrity get fuzzed too (random bytes almost never carry a right CRC-32).
func sealed(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
    guard input.count >= 20, input.count <= 1400 else { return nil }
    var bytes = Array(input)
    while bytes.count % 4 != 0 { bytes.append(0) }
    let integrityOffset = bytes.count
    bytes += [0x00, 0x08, 0x00, 20] + [UInt8](repeating: 0, count: 20)
    let fingerprintOffset = bytes.count
    bytes += [0x80, 0x28, 0x00, 4, 0, 0, 0, 0]
    bytes.withUnsafeMutableBytes { raw in
        raw.storeBigEndian(UInt16(integrityOffset + 24 - 20), at: 2)
        fuzzCredentials.key.withUnsafeBytes { key in
            STUNIntegrityAlgorithm.sha1.authenticate(
                UnsafeRawBufferPointer(rebasing: raw[0..<integrityOffset]), key: key,
                into: UnsafeMutableRawBufferPointer(rebasing: raw[(integrityOffset + 4)...]))
        }
        raw.storeBigEndian(UInt16(raw.count - 20), at: 2)
        let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<fingerprintOffset]))
        raw.storeBigEndian(crc ^ STUNMessage.fingerprintXOR, at: fingerprintOffset + 4)
    }
    return bytes
}

/// Feeds `input` to a lite agent and a checker; everything they send must parse.
func exerciseAgents(_ input: UnsafeRawBufferPointer) {
    var agent = ICELiteAgent(localCredentials: fuzzCredentials, consentTimeout: .seconds(1))
    agent.handle(input, on: fuzzTuple, now: .zero)
    agent.handleTimeout(now: .seconds(2))
    var checker = ICEControllingChecker(
        remoteCredentials: fuzzCredentials, tuple: fuzzTuple, localCredentials: fuzzCredentials, random: FuzzRandom())
    checker.start(now: .zero)
    checker.handle(input, now: .milliseconds(1))
    checker.handleTimeout(now: .seconds(1))
    while let output = agent.poll() ?? checker.poll() {
        if case .transmit(let transmit) = output {
            precondition((try? STUNMessage(parsing: transmit.bytes)) != nil, "an agent sent an unparseable message")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUNMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    _ = WebRTCDatagramKind.classify(input)
    exerciseAgents(input)
    checkRebuild(input)
    if let sealed = sealed(input) {
        sealed.withUnsafeBytes { raw in
            exerciseAgents(raw)
            checkRebuild(raw)
        }
    }
    return 0
}

/// A parsed message rebuilds from its decoded attributes to a message that decodes to the same.
func checkRebuild(_ input: UnsafeRawBufferPointer) {
    guard let message = try? STUNMessage(parsing: input) else { return }
    precondition(message.length == input.count)
    _ = message.hasValidIntegrity(.sha1, key: fuzzCredentials.key, in: input)
    _ = message.hasValidIntegrity(.sha256, key: [], in: input)
    let rebuilt = STUNMessage.build(
        message.type, transactionID: message.transactionID, attributes: message.attributes,
        integrityKey: [1, 2, 3], fingerprint: message.hasFingerprint)
    guard let reparsed = try? STUNMessage(parsing: rebuilt) else { preconditionFailure("rebuilt message rejected") }
    precondition(reparsed.attributes == message.attributes && reparsed.type == message.type)
    precondition(reparsed.hasValidIntegrity(key: [1, 2, 3], in: rebuilt))
}
