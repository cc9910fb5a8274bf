/// The client side of ICE for the live load generator: a controlling agent with one candidate
/// pair (our socket to the server's candidate). It sends connectivity checks (RFC 8445 §7.2.4)
/// with USERNAME "remoteUfrag:localUfrag", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE (aggressive
/// nomination), MESSAGE-INTEGRITY (remote password) and FINGERPRINT, retransmits them on
/// RFC 8489 §6.2.1's doubling timer, and once a valid response arrives keeps consent fresh
/// (RFC 7675) with a check every ~5 s, reporting consent loss after 30 s without an answer.
///
/// Sans-IO: feed it the datagrams that arrive on ``tuple`` and the time, drain ``poll()``, and
/// call ``handleTimeout(now:)`` at ``nextDeadline()``. Randomness (tie-breaker, transaction IDs,
/// consent jitter, and the local credentials unless given) comes from `Random`.
public struct ICEControllingChecker<Random: RandomNumberGenerator> {
    public let localCredentials: ICECredentials
    public let remoteCredentials: ICECredentials
    /// Our socket and the server's candidate.
    public let tuple: ICETransportTuple
    public let configuration: ICECheckerConfiguration
    /// Our ICE-CONTROLLING tie-breaker.
    public let tieBreaker: UInt64

    public private(set) var state: ICEState = .new
    public private(set) var counters = ICECounters()
    /// Our address as the server saw it (XOR-MAPPED-ADDRESS of the last success response).
    public private(set) var mappedAddress: TransportAddress?

    private var random: Random
    private var outputs = OutputFIFO<ICEOutput>()
    private var builder = STUNMessageBuilder()
    private let remoteKey: [UInt8]
    private let username: String
    /// The connectivity check in progress (before the first success).
    private var check: PendingCheck?
    /// Consent checks sent and not yet answered, with their send times.
    private var consentChecks: [(id: STUNTransactionID, sentAt: Duration)] = []
    private var lastValidResponse: Duration?
    private var nextConsentCheck: Duration?

    private struct PendingCheck {
        var id: STUNTransactionID
        var requestsSent: Int
        var rto: Duration
        var deadline: Duration
    }

    /// Creates a checker; `localCredentials` are drawn from `random` when not given.
    public init(remoteCredentials: ICECredentials, tuple: ICETransportTuple, localCredentials: ICECredentials? = nil,
                configuration: ICECheckerConfiguration = ICECheckerConfiguration(), random: Random) {
        var random = random
        self.localCredentials = localCredentials ?? .random(using: &random)
        self.remoteCredentials = remoteCredentials
        self.tuple = tuple
        self.configuration = configuration
        tieBreaker = random.next()
        self.random = random
        remoteKey = remoteCredentials.key
        username = remoteCredentials.usernameFragment + ":" + self.localCredentials.usernameFragment
    }

    /// Sends the first connectivity check; state `checking`.
    public mutating func start(now: Duration) {
        guard state == .new else { return }
        let id = STUNTransactionID.random(using: &random)
        let rto = max(configuration.initialRTO, .milliseconds(1))
        check = PendingCheck(id: id, requestsSent: 1, rto: rto, deadline: now + rto)
        sendRequest(id: id, nominate: configuration.nominate)
        setState(.checking)
    }

    /// Takes a datagram that arrived on ``tuple`` (already known to be STUN).
    public mutating func handle(_ bytes: UnsafeRawBufferPointer, now: Duration) {
        let message: STUNMessage
        do throws(STUNParseError) { message = try STUNMessage(parsing: bytes) } catch { return counters.drop(.malformed(error)) }
        guard message.type.method == STUNMessageType.bindingMethod else { return counters.drop(.unsupportedMethod) }
        switch message.type.messageClass {
        case .request: return counters.drop(.unexpectedRequest)
        case .indication: counters.indications += 1; return
        case .successResponse, .errorResponse: break
        }
        let isCheck = check?.id == message.transactionID
        let consentIndex = consentChecks.firstIndex { $0.id == message.transactionID }
        guard isCheck || consentIndex != nil else { return counters.drop(.unknownTransaction) }
        // Success responses must be signed with the remote password; error responses may be
        // unsigned (a 401 cannot be, RFC 8489 §9.1.3) but a signature present must be right.
        let signed = message.messageIntegrityOffset != nil
        guard signed || message.type.messageClass == .errorResponse else { return counters.drop(.badIntegrity) }
        guard !signed || message.hasValidIntegrity(key: remoteKey, in: bytes) else { return counters.drop(.badIntegrity) }

        if let consentIndex { consentChecks.remove(at: consentIndex) }
        if isCheck { check = nil }
        if message.type.messageClass == .errorResponse {
            let code = message.errorCode?.code ?? 0
            counters.drop(.errorResponse(code))
            // RFC 8445 §7.2.5.2.4: an error response fails the check. An error to a consent
            // check changes nothing: consent runs out on its own timer.
            if isCheck { setState(.failed) }
            return
        }
        counters.accepted += 1
        mappedAddress = message.xorMappedAddress ?? mappedAddress
        lastValidResponse = now
        if isCheck {
            scheduleConsentCheck(after: now)
            setState(configuration.nominate ? .completed : .connected)
        }
    }

    /// Array convenience for ``handle(_:now:)-(UnsafeRawBufferPointer,_)``.
    public mutating func handle(_ bytes: [UInt8], now: Duration) {
        bytes.withUnsafeBytes { handle($0, now: now) }
    }

    /// When ``handleTimeout(now:)`` must be called next: a retransmission, the check's failure,
    /// the next consent check, or consent expiry.
    public func nextDeadline() -> Duration? {
        if let check { return check.deadline }
        guard state.isConnected, let lastValidResponse else { return nil }
        let expiry = lastValidResponse + configuration.consentTimeout
        guard let nextConsentCheck else { return expiry }
        return min(expiry, nextConsentCheck)
    }

    /// Advances time: retransmits or fails the check, sends consent checks, expires consent.
    public mutating func handleTimeout(now: Duration) {
        if var pending = check, now >= pending.deadline {
            if pending.requestsSent >= configuration.maximumRequests {
                check = nil
                return setState(.failed)
            }
            pending.requestsSent += 1
            pending.rto = pending.rto * 2
            pending.deadline = pending.requestsSent == configuration.maximumRequests
                ? now + max(configuration.initialRTO * configuration.lastRequestWaitMultiplier, .milliseconds(1))
                : now + pending.rto
            check = pending
            counters.retransmissions += 1
            sendRequest(id: pending.id, nominate: configuration.nominate)
            return
        }
        guard state.isConnected, let lastValidResponse else { return }
        if now >= lastValidResponse + configuration.consentTimeout {
            nextConsentCheck = nil
            consentChecks.removeAll()
            return setState(.disconnected)
        }
        if let next = nextConsentCheck, now >= next {
            let id = STUNTransactionID.random(using: &random)
            let timeout = configuration.consentTimeout
            consentChecks.removeAll { now - $0.sentAt >= timeout }
            consentChecks.append((id, now))
            // Consent checks never nominate: a USE-CANDIDATE on this pair after the peer moved
            // to another one would pull the selection back (mediasoup switches on nomination).
            sendRequest(id: id, nominate: false)
            scheduleConsentCheck(after: now)
        }
    }

    /// The next datagram to send or event to report; nil when there is nothing left.
    public mutating func poll() -> ICEOutput? { outputs.pop() }

    private mutating func scheduleConsentCheck(after now: Duration) {
        // Clamped so that a bad configuration can never schedule a check in the past.
        let jitter = configuration.consentJitter.isFinite ? min(max(configuration.consentJitter, 0), 0.9) : 0
        let factor = jitter > 0 ? Double.random(in: (1 - jitter)...(1 + jitter), using: &random) : 1
        nextConsentCheck = now + max(configuration.consentInterval * factor, .milliseconds(1))
    }

    private mutating func sendRequest(id: STUNTransactionID, nominate: Bool) {
        builder.start(.bindingRequest, transactionID: id)
        builder.append(.username(username))
        builder.append(.priority(configuration.priority))
        builder.append(.iceControlling(tieBreaker: tieBreaker))
        if nominate { builder.append(.useCandidate) }
        builder.appendMessageIntegrity(key: remoteKey)
        builder.appendFingerprint()
        counters.requestsSent += 1
        outputs.push(.transmit(ICETransmit(tuple: tuple, bytes: builder.bytes)))
    }

    private mutating func setState(_ newState: ICEState) {
        guard newState != state else { return }
        state = newState
        outputs.push(.event(.stateChanged(newState)))
    }
}

extension ICEControllingChecker: Sendable where Random: Sendable {}

extension ICEState {
    /// True in `connected` and `completed`: media may flow.
    public var isConnected: Bool { self == .connected || self == .completed }
}
