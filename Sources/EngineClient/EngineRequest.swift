import ControlAPI
import Foundation
import NIOHTTP1

/// One call of the control API: method, path, JSON body, and how to decode the answer.
/// `EngineRequest+Routes.swift` has one constructor per route of docs/control-api.md; run a
/// request with `EngineClient.call(_:)` (blocking) or `EngineClient.send(_:)` (async).
public struct EngineRequest<Response: Sendable>: Sendable {
    public var method: HTTPMethod
    /// Path with percent-encoded segments, for example `/rooms/a/transports`.
    public var path: String
    /// Encoded JSON body, nil for none.
    public var body: Data?
    /// Decodes a 2xx response body.
    public var decode: @Sendable (Data) throws -> Response

    public init(method: HTTPMethod, path: String, body: Data?, decode: @escaping @Sendable (Data) throws -> Response) {
        self.method = method
        self.path = path
        self.body = body
        self.decode = decode
    }
}

extension EngineRequest where Response: Decodable {
    /// A request whose answer is the JSON of `Response`.
    init(_ method: HTTPMethod, _ path: String, json body: (some Encodable)? = EmptyResponse?.none) {
        self.init(method: method, path: path, body: body.map { try! JSONEncoder().encode($0) }) { data in
            try JSONDecoder().decode(Response.self, from: data)
        }
    }
}

/// Builds request paths: each segment percent-encoded so a room name cannot break the path.
enum RequestPath {
    static func make(_ segments: String...) -> String {
        "/" + segments.map { $0.addingPercentEncoding(withAllowedCharacters: unreserved) ?? $0 }.joined(separator: "/")
    }

    /// RFC 3986 unreserved characters.
    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
