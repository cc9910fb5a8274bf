import COpenSSL

/// Errors from setting up DTLS: certificates, contexts, endpoints and role resolution.
///
/// Failures of a running handshake are not thrown: they arrive as `DTLSEvent.failed`.
public enum DTLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Both sides signalled the same explicit role.
    case roleConflict(local: DTLSRole, remote: DTLSRole)
    /// An endpoint needs a resolved role (client or server), not `auto`.
    case unresolvedRole
    /// An OpenSSL call failed; `call` names it, `detail` is OpenSSL's error queue.
    case openSSL(call: String, detail: String)
    /// A PEM certificate or key could not be read.
    case invalidPEM(String)
    /// A fingerprint string is not `ALGORITHM HEX:HEX:...` with a supported hash.
    case invalidFingerprint(String)
    /// The link MTU is outside 256...65507 bytes.
    case invalidMTU(Int)
    /// No SRTP profile to offer.
    case noProfiles
    /// The first retransmission timeout is below 20 ms or above 60 s.
    case invalidRetransmissionTimeout(Duration)

    public var description: String {
        switch self {
        case .roleConflict(let local, let remote):
            "DTLS role conflict: both sides are \(local.rawValue) (local \(local.rawValue), remote \(remote.rawValue)); one side must be client, or auto"
        case .unresolvedRole: "a DTLS endpoint needs role client or server; resolve auto with DTLSRole.resolved(remote:)"
        case .openSSL(let call, let detail): "OpenSSL \(call) failed: \(detail)"
        case .invalidPEM(let what): "invalid PEM: \(what)"
        case .invalidFingerprint(let text): "invalid DTLS fingerprint '\(text)': expected e.g. sha-256 AB:CD:... with sha-1, sha-224, sha-256, sha-384 or sha-512"
        case .invalidMTU(let mtu): "DTLS link MTU \(mtu) is outside 256...65507"
        case .noProfiles: "at least one SRTP profile is needed"
        case .invalidRetransmissionTimeout(let timeout):
            "DTLS retransmission timeout \(timeout) is outside 20 ms...60 s (OpenSSL treats a timer with under 15 ms left as expired and fires expired timers while reading, so a shorter one retransmits at once)"
        }
    }

    /// OpenSSL's thread-local error queue as text (emptied), or "no detail".
    static func drainOpenSSLErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no detail" : messages.joined(separator: "; ")
    }

    /// An `.openSSL` error for `call` carrying the current error queue.
    static func openSSL(_ call: String) -> DTLSError { .openSSL(call: call, detail: drainOpenSSLErrors()) }
}
