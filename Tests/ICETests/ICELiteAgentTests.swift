import Testing
import Engine
@testable import ICE

/// The lite agent's answers to single requests: every refusal has its error code and counter.
@Suite struct ICELiteAgentTests {
    static let credentials = ICECredentials(usernameFragment: "localufrag000001", password: "localpassword0000000000000000001")
    static let tuple = ICETransportTuple(
        local: TransportAddress(ip: .loopbackV4, port: 40_000), remote: TransportAddress(ip: .v4(10, 0, 0, 2), port: 5_000))
    static let id = STUNTransactionID(high: 7, low: 8)

    static func request(
        username: String? = "localufrag000001:peer", key: [UInt8]? = Array("localpassword0000000000000000001".utf8),
        role: STUNAttribute? = .iceControlling(tieBreaker: 1), priority: Bool = true, extra: [STUNAttribute] = [],
        fingerprint: Bool = true
    ) -> [UInt8] {
        var attributes: [STUNAttribute] = []
        if let username { attributes.append(.username(username)) }
        if priority { attributes.append(.priority(100)) }
        if let role { attributes.append(role) }
        attributes += extra
        return STUNMessage.build(.bindingRequest, transactionID: id, attributes: attributes, integrityKey: key, fingerprint: fingerprint)
    }

    /// Feeds `bytes` to a fresh agent and returns it with the one response it sent, parsed.
    static func answer(_ bytes: [UInt8], agent: ICELiteAgent = ICELiteAgent(localCredentials: credentials)) -> (ICELiteAgent, STUNMessage?, [UInt8]?) {
        var agent = agent
        agent.handle(bytes, on: tuple, now: .seconds(1))
        var response: [UInt8]?
        while let output = agent.poll() {
            if case .transmit(let transmit) = output {
                #expect(transmit.tuple == tuple)
                response = transmit.bytes
            }
        }
        return (agent, response.flatMap { try? STUNMessage(parsing: $0) }, response)
    }

    @Test func validRequestGetsSignedSuccessWithMappedAddress() throws {
        let (agent, response, bytes) = Self.answer(Self.request())
        let message = try #require(response)
        #expect(message.type == .bindingSuccess)
        #expect(message.transactionID == Self.id)
        #expect(message.xorMappedAddress == Self.tuple.remote)
        #expect(message.hasValidIntegrity(key: Self.credentials.key, in: bytes!))
        #expect(message.hasFingerprint)
        #expect(agent.state == .connected)
        #expect(agent.selectedTuple == Self.tuple)
        #expect(agent.nextDeadline() == .seconds(31))
    }

    @Test(arguments: [
        (ICELiteAgentTests.request(fingerprint: false), ICEDropReason.missingFingerprint, UInt16(400)),
        (ICELiteAgentTests.request(username: nil), .missingCredentials, 400),
        (ICELiteAgentTests.request(key: nil), .missingCredentials, 400),
        (ICELiteAgentTests.request(username: "someoneelse:peer"), .unknownUsername, 401),
        (ICELiteAgentTests.request(username: "localufrag000001"), .unknownUsername, 401),
        (ICELiteAgentTests.request(key: Array("wrong".utf8)), .badIntegrity, 401),
        (ICELiteAgentTests.request(priority: false), .missingICEAttributes, 400),
        (ICELiteAgentTests.request(role: nil), .missingICEAttributes, 400),
        (ICELiteAgentTests.request(extra: [.iceControlled(tieBreaker: 2)]), .missingICEAttributes, 400),
        (request(role: .iceControlled(tieBreaker: 9)), .roleConflict, 487),
        (request(extra: [.other(type: STUNAttributeType(rawValue: 0x7001), value: [1])]), .unknownComprehensionRequired, 420),
    ])
    func refusedRequestsGetTheirErrorCode(bytes: [UInt8], reason: ICEDropReason, code: UInt16) throws {
        let (agent, response, raw) = Self.answer(bytes)
        let message = try #require(response)
        #expect(message.type == .bindingError)
        #expect(message.transactionID == Self.id)
        #expect(message.errorCode?.code == code)
        #expect(agent.counters[reason] == 1)
        #expect(agent.counters.totalDropped == 1)
        #expect(agent.counters.errorResponsesSent == [code: 1])
        #expect(agent.state == .new)
        // Only answers to authenticated requests are signed.
        #expect(message.hasIntegrity == (code == 420 || code == 487))
        if message.hasIntegrity { #expect(message.hasValidIntegrity(key: Self.credentials.key, in: raw!)) }
        if code == 420 { #expect(message.attributes.contains(.unknownAttributes([0x7001]))) }
    }

    @Test func remoteFragmentIsCheckedWhenKnown() {
        let remote = ICECredentials(usernameFragment: "peer", password: "peerpassword0000000000")
        let agent = ICELiteAgent(localCredentials: Self.credentials, remoteCredentials: remote)
        #expect(Self.answer(Self.request(), agent: agent).0.state == .connected)
        let (refused, response, _) = Self.answer(Self.request(username: "localufrag000001:other"), agent: agent)
        #expect(refused.counters[.unknownUsername] == 1)
        #expect(response?.errorCode?.code == 401)
    }

    @Test func indicationsAreCountedAndNeverAnswered() {
        let indication = STUNMessage.build(.bindingIndication, transactionID: Self.id, attributes: [])
        let (agent, response, _) = Self.answer(indication)
        #expect(response == nil)
        #expect(agent.counters.indications == 1)
        #expect(agent.counters.totalDropped == 0)
    }

    @Test func responsesAndOtherMethodsAreDropped() {
        let success = STUNMessage.build(.bindingSuccess, transactionID: Self.id, attributes: [])
        let (afterResponse, noAnswer, _) = Self.answer(success)
        #expect(noAnswer == nil)
        #expect(afterResponse.counters[.unexpectedResponse] == 1)
        let allocate = STUNMessage.build(STUNMessageType(method: 0x003, messageClass: .request), transactionID: Self.id, attributes: [])
        let (afterAllocate, refusal, _) = Self.answer(allocate)
        #expect(refusal?.errorCode?.code == 400)
        #expect(refusal?.type == STUNMessageType(method: 0x003, messageClass: .errorResponse))
        #expect(afterAllocate.counters[.unsupportedMethod] == 1)
    }

    @Test func garbageIsCountedByReasonAndNeverAnswered() {
        var agent = ICELiteAgent(localCredentials: Self.credentials)
        agent.handle([0, 1, 0], on: Self.tuple, now: .zero)
        agent.handle([0x80] + [UInt8](repeating: 0, count: 30), on: Self.tuple, now: .zero)
        var corrupted = Self.request()
        corrupted[corrupted.count - 1] ^= 0xFF
        agent.handle(corrupted, on: Self.tuple, now: .zero)
        #expect(agent.poll() == nil)
        #expect(agent.counters[.malformed(.tooShort)] == 1)
        #expect(agent.counters[.malformed(.notSTUN)] == 1)
        #expect(agent.counters[.malformed(.badFingerprint)] == 1)
    }

    @Test func generatedCredentialsAreValidAndReproducible() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = ICELiteAgent(generator: &first)
        let b = ICELiteAgent(generator: &second)
        #expect(a.localCredentials == b.localCredentials)
        #expect(a.localCredentials.isValid)
        #expect(a.localCredentials.usernameFragment.count == 16)
        #expect(a.localCredentials.password.count == 32)
        #expect(ICELiteAgent(generator: &first).localCredentials != a.localCredentials)
    }

    @Test func closedAgentDropsEverything() {
        var agent = ICELiteAgent(localCredentials: Self.credentials)
        agent.close()
        #expect(agent.poll() == .event(.stateChanged(.closed)))
        agent.handle(Self.request(), on: Self.tuple, now: .zero)
        #expect(agent.poll() == nil)
        #expect(agent.counters[.closed] == 1)
    }

    @Test func recipientFragmentRoutesByUsername() throws {
        let message = try STUNMessage(parsing: Self.request())
        #expect(ICELiteAgent.recipientFragment(of: message) == "localufrag000001")
    }

    @Test func tuplesAreBounded() {
        var agent = ICELiteAgent(localCredentials: Self.credentials)
        for port in 1...20 {
            var tuple = Self.tuple
            tuple.remote.port = UInt16(port)
            agent.handle(Self.request(), on: tuple, now: .zero)
        }
        #expect(agent.tuples.count == ICELiteAgent.maximumTuples)
        #expect(agent.tuples.contains(agent.selectedTuple!))
    }
}

extension ICELiteAgentTests {
    /// RFC 8445 §7.3.1.1: a controlled peer with a tie-breaker not above ours gets 487; above
    /// ours, its request is answered (and selects the tuple, as mediasoup does).
    @Test func roleConflictFollowsTheTieBreaker() {
        let agent = ICELiteAgent(localCredentials: Self.credentials, tieBreaker: 100)
        for (theirs, code) in [(UInt64(50), UInt16?(487)), (100, 487), (101, nil)] {
            let (after, response, _) = Self.answer(Self.request(role: .iceControlled(tieBreaker: theirs)), agent: agent)
            #expect(response?.errorCode?.code == code)
            #expect(after.counters[.roleConflict] == (code == nil ? 0 : 1))
            #expect(after.counters.roleConflictsAccepted == (code == nil ? 1 : 0))
            #expect(after.state == (code == nil ? .connected : .new))
        }
    }
}
