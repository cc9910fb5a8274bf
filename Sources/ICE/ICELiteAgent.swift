/// The server side of ICE for an SFU: an ICE-lite agent (RFC 8445 §2.5, §7.3) with consent
/// freshness (RFC 7675), with mediasoup's `IceServer` semantics. Sans-IO: it never opens a socket
/// or reads a clock; the owner feeds it datagrams and time and drains ``poll()``.
///
/// - It answers Binding requests on whatever tuple they arrive on, after checking FINGERPRINT,
///   USERNAME ("localUfrag:remoteUfrag") and MESSAGE-INTEGRITY (keyed with the local password).
///   Failures get 400/401/420/487 error responses and are counted by reason.
/// - It learns tuples from valid requests; the first valid one becomes the selected tuple
///   (state `connected`), a request with USE-CANDIDATE selects its tuple (state `completed`),
///   and a later nomination on another tuple switches to it.
/// - When no valid request has arrived for ``consentTimeout`` (mediasoup's `iceConsentTimeout`,
///   30 s by default, zero disables it) the agent forgets its tuples and becomes `disconnected`.
///
/// Time is a `Duration` since an origin the owner chooses (the engine's `Instant.nanoseconds`
/// maps to `.nanoseconds(n)`).
public struct ICELiteAgent: Sendable {
    /// mediasoup's default `iceConsentTimeout`.
    public static let defaultConsentTimeout: Duration = .seconds(30)
    /// How many tuples are remembered; a new one evicts the oldest unselected one (mediasoup
    /// keeps 8 too).
    public static let maximumTuples = 8

    /// Our fragment and password, given to the peer through signalling.
    public let localCredentials: ICECredentials
    /// The peer's, when signalling provided them: then USERNAME must also end with the peer's
    /// fragment. mediasoup learns nothing from the remote side and leaves this nil.
    public let remoteCredentials: ICECredentials?
    /// Consent expires after this long without a valid request; zero disables the check.
    public let consentTimeout: Duration
    /// Our tie-breaker for role conflicts (RFC 8445 §7.3.1.1): a request claiming the controlled
    /// role with a smaller or equal tie-breaker gets 487; a larger one wins and is answered
    /// like any other (a lite agent has no checks to send as controlling agent; mediasoup accepts
    /// every such request, Chrome issue webrtc:7478).
    public let tieBreaker: UInt64
    /// SOFTWARE attribute for our responses, if any.
    public var software: String?

    public private(set) var state: ICEState = .new
    /// The tuple media goes to, once a valid request arrived.
    public private(set) var selectedTuple: ICETransportTuple?
    /// Tuples that passed a check, oldest first.
    public private(set) var tuples: [ICETransportTuple] = []
    public internal(set) var counters = ICECounters()

    private var lastConsent: Duration?
    private var outputs = OutputFIFO<ICEOutput>()
    /// Reused for every response.
    var responseBuilder = STUNMessageBuilder()
    /// The local password's bytes: the key of our MESSAGE-INTEGRITY.
    let key: [UInt8]

    /// Creates an agent with explicit local credentials. The default tie-breaker, the largest
    /// value, answers 487 to every peer that claims the controlled role.
    public init(localCredentials: ICECredentials, remoteCredentials: ICECredentials? = nil,
                consentTimeout: Duration = ICELiteAgent.defaultConsentTimeout, tieBreaker: UInt64 = .max) {
        self.localCredentials = localCredentials
        self.remoteCredentials = remoteCredentials
        self.consentTimeout = consentTimeout
        self.tieBreaker = tieBreaker
        key = localCredentials.key
    }

    /// Creates an agent whose local credentials and tie-breaker are drawn from `generator`.
    public init<G: RandomNumberGenerator>(generator: inout G, remoteCredentials: ICECredentials? = nil,
                                          consentTimeout: Duration = ICELiteAgent.defaultConsentTimeout) {
        let credentials = ICECredentials.random(using: &generator)
        self.init(localCredentials: credentials, remoteCredentials: remoteCredentials,
                  consentTimeout: consentTimeout, tieBreaker: generator.next())
    }

    /// Takes one datagram that arrived on `tuple` (already known to be STUN, for example by
    /// ``WebRTCDatagramKind``). Responses and events are queued for ``poll()``.
    public mutating func handle(_ bytes: UnsafeRawBufferPointer, on tuple: ICETransportTuple, now: Duration) {
        guard state != .closed else { return counters.drop(.closed) }
        let message: STUNMessage
        do throws(STUNParseError) { message = try STUNMessage(parsing: bytes) } catch { return counters.drop(.malformed(error)) }
        guard message.type.method == STUNMessageType.bindingMethod else {
            counters.drop(.unsupportedMethod)
            if message.type.messageClass == .request { respondWithError(.badRequest, to: message, on: tuple) }
            return
        }
        switch message.type.messageClass {
        case .indication:
            counters.indications += 1
        case .successResponse, .errorResponse:
            counters.drop(.unexpectedResponse)
        case .request:
            handleBindingRequest(message, bytes: bytes, on: tuple, now: now)
        }
    }

    /// Array convenience for ``handle(_:on:now:)-(UnsafeRawBufferPointer,_,_)``.
    public mutating func handle(_ bytes: [UInt8], on tuple: ICETransportTuple, now: Duration) {
        bytes.withUnsafeBytes { handle($0, on: tuple, now: now) }
    }

    /// When ``handleTimeout(now:)`` must be called next: when consent would expire.
    public func nextDeadline() -> Duration? {
        guard consentTimeout > .zero, state == .connected || state == .completed, let lastConsent else { return nil }
        return lastConsent + consentTimeout
    }

    /// Advances time: expires consent when its deadline has passed.
    public mutating func handleTimeout(now: Duration) {
        guard let deadline = nextDeadline(), now >= deadline else { return }
        tuples.removeAll()
        lastConsent = nil
        if selectedTuple != nil {
            selectedTuple = nil
            outputs.push(.event(.selectedTupleChanged(nil)))
        }
        setState(.disconnected)
    }

    /// The next datagram to send or event to report; nil when there is nothing left.
    public mutating func poll() -> ICEOutput? { outputs.pop() }

    /// Closes the agent: it forgets its tuples, reports `closed`, and drops everything after.
    public mutating func close() {
        guard state != .closed else { return }
        tuples.removeAll()
        selectedTuple = nil
        lastConsent = nil
        setState(.closed)
    }

    /// The recipient's fragment of an ICE USERNAME ("recipient:sender"), for routing a request to
    /// its agent when several share one port (mediasoup's WebRtcServer).
    public static func recipientFragment(of message: STUNMessage) -> Substring? {
        guard let username = message.username, let colon = username.firstIndex(of: ":") else { return nil }
        return username[..<colon]
    }

    mutating func setState(_ newState: ICEState) {
        guard newState != state else { return }
        state = newState
        outputs.push(.event(.stateChanged(newState)))
    }

    mutating func select(_ tuple: ICETransportTuple) {
        guard selectedTuple != tuple else { return }
        selectedTuple = tuple
        outputs.push(.event(.selectedTupleChanged(tuple)))
    }

    mutating func queue(_ bytes: [UInt8], on tuple: ICETransportTuple) {
        outputs.push(.transmit(ICETransmit(tuple: tuple, bytes: bytes)))
    }

    /// Adds `tuple` to the known ones, evicting the oldest unselected tuple beyond the maximum.
    mutating func remember(_ tuple: ICETransportTuple) {
        guard !tuples.contains(tuple) else { return }
        tuples.append(tuple)
        if tuples.count > Self.maximumTuples, let index = tuples.firstIndex(where: { $0 != selectedTuple }) {
            tuples.remove(at: index)
        }
    }

    mutating func refreshConsent(now: Duration) { lastConsent = now }
}
