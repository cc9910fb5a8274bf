import ControlAPI

/// Why a control API call failed.
public enum EngineClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an `ErrorResponse`: `status` is the HTTP status, `code` the
    /// machine-readable code (`badRequest`, `notFound`, ...), `message` says what to fix.
    case server(status: Int, code: String, message: String)
    /// No connection could be made (refused, unreachable, or the connect timed out).
    case connectionFailed(url: String, reason: String)
    /// The connection closed before the response arrived.
    case connectionClosed(method: String, path: String)
    /// No response within the call's deadline.
    case timedOut(method: String, path: String, seconds: Double)
    /// A response the client could not understand (not JSON, or not the expected body).
    case badResponse(method: String, path: String, reason: String)
    /// The base URL is not `http://HOST:PORT`.
    case invalidURL(String)

    public var description: String {
        switch self {
        case .server(let status, let code, let message):
            "engine server answered \(status) \(code): \(message)"
        case .connectionFailed(let url, let reason):
            "cannot connect to the engine server at \(url): \(reason) (is `sfulab serve` running there?)"
        case .connectionClosed(let method, let path):
            "the engine server closed the connection before answering \(method) \(path)"
        case .timedOut(let method, let path, let seconds):
            "no answer to \(method) \(path) within \(seconds) s"
        case .badResponse(let method, let path, let reason):
            "unexpected answer to \(method) \(path): \(reason)"
        case .invalidURL(let url):
            "'\(url)' is not an engine server URL (expected http://HOST:PORT, for example http://127.0.0.1:8080)"
        }
    }

    /// The server's error as the API type, when this is a server error.
    public var errorResponse: ErrorResponse? {
        if case .server(_, let code, let message) = self { return ErrorResponse(code: code, error: message) }
        return nil
    }
}
