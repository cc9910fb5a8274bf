import Testing
@testable import ICE

/// Checker ↔ lite agent in virtual time (ICELoopback): connection, loss, bad credentials,
/// renomination, consent expiry and refresh.
@Suite struct ICEScenarioTests {
    @Test func checkerAndLiteAgentConnect() {
        var net = ICELoopback()
        net.addChecker(port: 50_000, seed: 1)
        net.run(until: .seconds(1))
        let tuple = net.serverTuple(of: 0)
        #expect(net.checkers[0].state == .completed)
        #expect(net.agent.state == .completed)
        #expect(net.agent.selectedTuple == tuple)
        #expect(net.checkers[0].mappedAddress == tuple.remote)
        #expect(net.agentEvents.map(\.1) == [.selectedTupleChanged(tuple), .stateChanged(.completed)])
        #expect(net.agentEvents.first?.0 == .milliseconds(10))
        #expect(net.checkerEvents[0].map(\.1) == [.stateChanged(.checking), .stateChanged(.completed)])
        #expect(net.checkerEvents[0].last?.0 == .milliseconds(20))
        #expect(net.agent.counters.accepted == 1)
        #expect(net.agent.counters.totalDropped == 0)
    }

    @Test func withoutNominationTheAgentIsConnectedAndTheFirstTupleSelected() {
        var net = ICELoopback()
        var configuration = ICECheckerConfiguration()
        configuration.nominate = false
        net.addChecker(port: 50_000, seed: 1, configuration: configuration)
        net.run(until: .seconds(1))
        #expect(net.agent.state == .connected)
        #expect(net.checkers[0].state == .connected)
        #expect(net.agent.selectedTuple == net.serverTuple(of: 0))
    }

    @Test func lostRequestIsRetransmittedAndThePairStillConnects() {
        var net = ICELoopback()
        net.deliver = { sentAt, toServer, _ in !(toServer && sentAt == .zero) }
        net.addChecker(port: 50_000, seed: 2)
        net.run(until: .seconds(2))
        #expect(net.checkers[0].state == .completed)
        #expect(net.agent.state == .completed)
        #expect(net.checkers[0].counters.retransmissions == 1)
        #expect(net.checkerSendTimes[0] == [.zero, .milliseconds(500)])
        #expect(net.checkerEvents[0].last?.0 == .milliseconds(520))
    }

    @Test func checksThatGetNoAnswerFollowTheRFC8489ScheduleAndFail() {
        var net = ICELoopback()
        net.deliver = { _, toServer, _ in !toServer }
        net.addChecker(port: 50_000, seed: 3)
        net.run(until: .seconds(60))
        #expect(net.checkerSendTimes[0] == [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500].map { .milliseconds($0) })
        #expect(net.checkerEvents[0].map(\.1) == [.stateChanged(.checking), .stateChanged(.failed)])
        #expect(net.checkerEvents[0].last?.0 == .milliseconds(39_500))
        #expect(net.checkers[0].nextDeadline() == nil)
        #expect(net.agent.state == .new)
    }

    @Test func retransmissionScheduleIsConfigurable() {
        var net = ICELoopback()
        net.deliver = { _, toServer, _ in !toServer }
        var configuration = ICECheckerConfiguration()
        configuration.initialRTO = .milliseconds(100)
        configuration.maximumRequests = 3
        configuration.lastRequestWaitMultiplier = 4
        net.addChecker(port: 50_000, seed: 3, configuration: configuration)
        net.run(until: .seconds(5))
        #expect(net.checkerSendTimes[0] == [0, 100, 300].map { .milliseconds($0) })
        #expect(net.checkerEvents[0].last?.0 == .milliseconds(700))
        #expect(net.checkers[0].state == .failed)
    }

    @Test func wrongPasswordIsAnswered401AndNeverConnects() {
        var net = ICELoopback()
        let wrong = ICECredentials(usernameFragment: ICELoopback.serverCredentials.usernameFragment, password: "not-the-password-0000000000000")
        net.addChecker(port: 50_000, seed: 4, remote: wrong)
        net.run(until: .seconds(60))
        #expect(net.agent.counters[.badIntegrity] == 1)
        #expect(net.agent.counters.errorResponsesSent == [401: 1])
        #expect(net.agent.state == .new)
        #expect(net.agent.selectedTuple == nil)
        #expect(net.agentEvents.isEmpty)
        #expect(net.checkers[0].state == .failed)
        #expect(net.checkers[0].counters[.errorResponse(401)] == 1)
    }

    @Test func wrongUsernameFragmentIsAnswered401() {
        var net = ICELoopback()
        let wrong = ICECredentials(usernameFragment: "someoneelse00000", password: ICELoopback.serverCredentials.password)
        net.addChecker(port: 50_000, seed: 5, remote: wrong)
        net.run(until: .seconds(1))
        #expect(net.agent.counters[.unknownUsername] == 1)
        #expect(net.agent.counters.errorResponsesSent == [401: 1])
        #expect(net.checkers[0].state == .failed)
    }

    @Test func nominationOnASecondTupleSwitchesTheSelectedTuple() {
        var net = ICELoopback()
        net.addChecker(port: 50_000, seed: 6)
        net.run(until: .seconds(2))
        net.addChecker(port: 50_002, seed: 7)
        net.run(until: .seconds(3))
        let first = net.serverTuple(of: 0)
        let second = net.serverTuple(of: 1)
        #expect(net.agent.selectedTuple == second)
        #expect(net.agent.tuples == [first, second])
        #expect(net.agentEvents.map(\.1) == [.selectedTupleChanged(first), .stateChanged(.completed), .selectedTupleChanged(second)])
        #expect(net.agentEvents.last?.0 == .milliseconds(2_010))
        // The first pair's consent checks keep it alive but do not nominate it back.
        net.run(until: .seconds(25))
        #expect(net.agent.selectedTuple == second)
        #expect(net.checkers[0].state == .completed)
        #expect(net.agent.counters.accepted > 2)
    }

    @Test func consentExpiresWithoutRequests() {
        var net = ICELoopback()
        // The network to the server dies at 10 s.
        net.deliver = { sentAt, toServer, _ in !(toServer && sentAt >= .seconds(10)) }
        net.addChecker(port: 50_000, seed: 8)
        net.run(until: .seconds(60))
        let lastAccepted = net.checkerSendTimes[0].filter { $0 < .seconds(10) }.last! + net.delay
        #expect(net.agent.state == .disconnected)
        #expect(net.agent.selectedTuple == nil)
        #expect(net.agent.tuples.isEmpty)
        #expect(net.agentEvents.suffix(2).map(\.1) == [.selectedTupleChanged(nil), .stateChanged(.disconnected)])
        #expect(net.agentEvents.last?.0 == lastAccepted + .seconds(30))
        // The checker loses consent 30 s after its last answer.
        #expect(net.checkers[0].state == .disconnected)
        #expect(net.checkerEvents[0].last?.0 == lastAccepted + net.delay + .seconds(30))
    }

    @Test func consentKeepsThePairAliveAndIsJittered() {
        var net = ICELoopback()
        net.addChecker(port: 50_000, seed: 9)
        net.run(until: .seconds(300))
        #expect(net.agent.state == .completed)
        #expect(net.checkers[0].state == .completed)
        let sends = net.checkerSendTimes[0]
        // Consent checks (every send after the first check) are 0.8–1.2 × 5 s apart.
        let consentSends = Array(sends.dropFirst())
        let intervals = zip(consentSends.dropFirst(), consentSends).map { $0 - $1 }
        #expect(intervals.count > 45)
        #expect(intervals.allSatisfy { $0 >= .seconds(4) && $0 <= .seconds(6) })
        #expect(Set(intervals).count == intervals.count)  // drawn, not constant
        #expect(net.agent.counters.accepted == sends.filter { $0 + net.delay <= net.now }.count)
        #expect(net.agentEvents.count == 2)
    }

    @Test func zeroConsentTimeoutDisablesExpiry() {
        var net = ICELoopback(consentTimeout: .zero)
        net.deliver = { sentAt, toServer, _ in !(toServer && sentAt >= .seconds(1)) }
        net.addChecker(port: 50_000, seed: 10)
        net.run(until: .seconds(120))
        #expect(net.agent.state == .completed)
        #expect(net.agent.nextDeadline() == nil)
    }

    @Test func sameSeedSameBytes() {
        func transcript(seed: UInt64) -> [[UInt8]] {
            var net = ICELoopback()
            net.addChecker(port: 50_000, seed: seed)
            net.run(until: .seconds(40))
            return net.transcript
        }
        #expect(transcript(seed: 11) == transcript(seed: 11))
        #expect(transcript(seed: 11).count > 10)
        #expect(transcript(seed: 11) != transcript(seed: 12))
    }
}

extension ICEScenarioTests {
    /// Nonsense timers never schedule a deadline in the past (which would spin a driver).
    @Test func degenerateConfigurationStillMovesTimeForward() {
        var configuration = ICECheckerConfiguration()
        configuration.initialRTO = .zero
        configuration.consentInterval = .seconds(-1)
        configuration.consentJitter = .nan
        var net = ICELoopback()
        net.addChecker(port: 50_000, seed: 13, configuration: configuration)
        net.run(until: .seconds(1))
        #expect(net.checkers[0].state == .completed)
        #expect(net.checkers[0].nextDeadline().map { $0 > net.now } == true)
        #expect(net.checkerSendTimes[0].count < 1_200)
    }
}
