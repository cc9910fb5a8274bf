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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUNMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    _ = WebRTCDatagramKind.classify(input)

    // The agents never trap and everything they send parses.
    var agent = ICELiteAgent(localCredentials: fuzzCredentials, consentTimeout: .seconds(1))
    agent.handle(input, on: fuzzTuple, now: .zero)
    agent.handleTimeout(now: .seconds(2))
    var checker = ICEControllingChecker(
        remoteCredentials: fuzzCredentials, tuple: fuzzTuple, localCredentials: fuzzCredentials, random: FuzzRandom())
    checker.start(now: .zero)
    checker.handle(input, now: .milliseconds(1))
    while let output = agent.poll() ?? checker.poll() {
        if case .transmit(let transmit) = output {
            precondition((try? STUNMessage(parsing: transmit.bytes)) != nil, "an agent sent an unparseable message")
        }
    }

    guard let message = try? STUNMessage(parsing: input) else { return 0 }
    precondition(message.length == size)
    _ = message.hasValidIntegrity(.sha1, key: Array("fuzzpassword0000000000".utf8), in: input)
    _ = message.hasValidIntegrity(.sha256, key: [], in: input)
    // Rebuilding the decoded attributes gives a message that decodes to the same attributes.
    let rebuilt = STUNMessage.build(
        message.type, transactionID: message.transactionID, attributes: message.attributes,
        integrityKey: [1, 2, 3], fingerprint: message.hasFingerprint)
    guard let reparsed = try? STUNMessage(parsing: rebuilt) else { preconditionFailure("rebuilt message rejected") }
    precondition(reparsed.attributes == message.attributes && reparsed.type == message.type)
    precondition(reparsed.hasValidIntegrity(key: [1, 2, 3], in: rebuilt))
    return 0
}
