// The checks on a Binding request and the answers to it (RFC 8489 §6.3, §9.1.3; RFC 8445 §7.3),
// then the tuple bookkeeping (mediasoup IceServer::HandleTuple).

extension ICELiteAgent {
    mutating func handleBindingRequest(_ message: STUNMessage, bytes: UnsafeRawBufferPointer, on tuple: ICETransportTuple, now: Duration) {
        guard message.hasFingerprint else {
            counters.drop(.missingFingerprint)
            return respondWithError(.badRequest, to: message, on: tuple)
        }
        guard let username = message.username, message.messageIntegrityOffset != nil else {
            counters.drop(.missingCredentials)
            return respondWithError(.badRequest, to: message, on: tuple)
        }
        guard usernameIsOurs(username) else {
            counters.drop(.unknownUsername)
            return respondWithError(.unauthorized, to: message, on: tuple)
        }
        guard message.hasValidIntegrity(.sha1, key: key, in: bytes) else {
            counters.drop(.badIntegrity)
            return respondWithError(.unauthorized, to: message, on: tuple)
        }
        // RFC 8489 §6.3: unknown comprehension-required attributes are looked at once the
        // request is authenticated.
        let unknown = message.unknownComprehensionRequiredTypes
        guard unknown.isEmpty else {
            counters.drop(.unknownComprehensionRequired)
            return respondWithError(.unknownAttribute, to: message, on: tuple, extra: [.unknownAttributes(unknown)])
        }
        guard message.priority != nil, (message.iceControlling != nil) != (message.iceControlled != nil) else {
            counters.drop(.missingICEAttributes)
            return respondWithError(.badRequest, to: message, on: tuple)
        }
        // RFC 8445 §7.3.1.1, both sides controlled: the larger tie-breaker takes the controlling
        // role. When that is us, the peer keeps nominating nothing, but as in mediasoup its
        // requests still select a tuple.
        if let theirs = message.iceControlled {
            guard theirs > tieBreaker else {
                counters.drop(.roleConflict)
                return respondWithError(.roleConflict, to: message, on: tuple)
            }
            counters.roleConflictsAccepted += 1
        }

        counters.accepted += 1
        responseBuilder.start(.bindingSuccess, transactionID: message.transactionID)
        if let software { responseBuilder.append(.software(software)) }
        responseBuilder.append(.xorMappedAddress(tuple.remote))
        responseBuilder.appendMessageIntegrity(key: key)
        responseBuilder.appendFingerprint()
        queue(responseBuilder.bytes, on: tuple)

        refreshConsent(now: now)
        updateTuples(with: tuple, nominated: message.useCandidate)
    }

    /// USERNAME is "localUfrag:remoteUfrag" (RFC 8445 §7.2.2); the remote part is checked only
    /// when signalling gave us the remote credentials.
    private func usernameIsOurs(_ username: String) -> Bool {
        let local = localCredentials.usernameFragment
        guard username.utf8.count > local.utf8.count, username.hasPrefix(local + ":") else { return false }
        guard let remote = remoteCredentials?.usernameFragment else { return true }
        return username.utf8.dropFirst(local.utf8.count + 1).elementsEqual(remote.utf8)
    }

    /// mediasoup's `IceServer::HandleTuple`: the first valid tuple is selected; a nomination
    /// selects its tuple and completes; consent loss (disconnected) starts over as from new.
    private mutating func updateTuples(with tuple: ICETransportTuple, nominated: Bool) {
        remember(tuple)
        switch state {
        case .new, .disconnected:
            select(tuple)
            setState(nominated ? .completed : .connected)
        case .connected:
            if nominated {
                select(tuple)
                setState(.completed)
            }
        case .completed:
            if nominated { select(tuple) }
        case .checking, .failed, .closed:
            break
        }
    }

    mutating func respondWithError(_ error: STUNErrorCode, to request: STUNMessage, on tuple: ICETransportTuple, extra: [STUNAttribute] = []) {
        counters.errorResponsesSent[error.code, default: 0] += 1
        responseBuilder.start(STUNMessageType(method: request.type.method, messageClass: .errorResponse), transactionID: request.transactionID)
        if let software { responseBuilder.append(.software(software)) }
        responseBuilder.append(.errorCode(error))
        for attribute in extra { responseBuilder.append(attribute) }
        // 400 and 401 answers carry no MESSAGE-INTEGRITY: the request was not authenticated
        // (RFC 8489 §9.1.3). 420 and 487 come after it was, so they are signed like a success.
        if error.code == 420 || error.code == 487 { responseBuilder.appendMessageIntegrity(key: key) }
        responseBuilder.appendFingerprint()
        queue(responseBuilder.bytes, on: tuple)
    }
}
